package io.freehold.controlplane.billing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The printable invoice page: escaped, self-contained, a draft marked as not final, and the figures where a reader looks. */
class InvoiceHtmlTest {

    @Test
    void everyValueIsEscapedSoANameCannotBecomeMarkup() {
        String html = InvoiceHtml.of(SampleInvoices.finalNovember());

        assertThat(html).doesNotContain("<script").contains(
                "<tr class=\"part\"><td>&lt;script&gt;alert(1)&lt;/script&gt; <span class=\"id\">i-2</span></td>",
                "<tr class=\"part\"><td>web &quot;blue&quot;, 1 <span class=\"id\">i-1</span></td>",
                "<td>credit note CN-7: outage of &quot;zone b&quot;, 3 Nov</td>");
    }

    @Test
    void aFinalInvoiceIsTitledByItsNumberAndSaysNothingOfADraft() {
        String html = InvoiceHtml.of(SampleInvoices.finalNovember());

        assertThat(html).contains("<title>Invoice FH-2026-000042 — t-1, November 2026</title>", "<h1>Invoice FH-2026-000042</h1>",
                        "<dt>Closed</dt><dd>2026-12-01 00:05 UTC</dd>")
                .doesNotContain("<p class=\"draft\">", "DRAFT", "Draft");
    }

    @Test
    void aDraftSaysItIsNotFinalAndHasNoNumber() {
        String html = InvoiceHtml.of(SampleInvoices.draftNovember());

        assertThat(html).contains("<p class=\"draft\">DRAFT — not final: the amounts change until the month closes.</p>",
                        "<h1>Draft invoice</h1>", "<dt>Computed</dt><dd>2026-11-02 12:00 UTC</dd>")
                .doesNotContain("Invoice FH-", "null", "Closed");
    }

    @Test
    void theHeadTheLinesWithTheirPartsAndTheTotalsShowTheInvoicesFigures() {
        String html = InvoiceHtml.of(SampleInvoices.finalNovember());

        assertThat(html).contains(
                "<dt>Tenant</dt><dd>t-1</dd>\n"
                        + "<dt>Period</dt><dd>November 2026 (2026-11-01 00:00 to 2026-12-01 00:00 UTC)</dd>\n"
                        + "<dt>Currency</dt><dd>EUR</dd>\n"
                        + "<dt>Price list</dt><dd>pl-1</dd>\n"
                        + "<dt>Discount</dt><dd>25 %</dd>\n",
                "<tbody>\n<tr class=\"line\"><td>instance.seconds (2vcpu-4096mib-20gib)</td><td class=\"period\">2026-11-02 10:00 – 2026-11-09 10:00</td>"
                        + "<td class=\"num\">1209600 s</td><td class=\"num\">0.0001</td><td class=\"num\">120.96</td><td class=\"num\">90.72</td>"
                        + "<td class=\"num\">19 %</td><td class=\"num\">17.24</td></tr>\n"
                        + "<tr class=\"part\"><td>web &quot;blue&quot;, 1 <span class=\"id\">i-1</span></td><td></td><td class=\"num\">604800 s</td>"
                        + "<td></td><td></td><td class=\"num\">45.36</td><td></td><td></td></tr>\n"
                        + "<tr class=\"part\"><td>&lt;script&gt;alert(1)&lt;/script&gt; <span class=\"id\">i-2</span></td><td></td>"
                        + "<td class=\"num\">604800 s</td><td></td><td></td><td class=\"num\">45.36</td><td></td><td></td></tr>\n</tbody>\n",
                "<td class=\"num\">7200 vCPU·s</td>",
                "<td class=\"num\">1 credit note</td><td class=\"num\">-10.00</td><td class=\"num\">-10.00</td><td class=\"num\">-10.00</td>"
                        + "<td class=\"num\">19 %</td><td class=\"num\">-1.90</td></tr>\n</tbody>\n",
                "<tfoot>\n"
                        + "<tr><th colspan=\"7\">Subtotal</th><td class=\"num\">80.77</td></tr>\n"
                        + "<tr><th colspan=\"7\">Tax</th><td class=\"num\">15.35</td></tr>\n"
                        + "<tr><th colspan=\"7\">Total (EUR)</th><td class=\"num\">96.12</td></tr>\n"
                        + "</tfoot>\n",
                "rounded once per line to the currency's minor unit, half-even");
    }

    @Test
    void thePageNeedsNothingFromOutsideToShowOrPrint() {
        String html = InvoiceHtml.of(SampleInvoices.finalNovember());

        assertThat(html).startsWith("<!DOCTYPE html>").contains("<style>", "@media print")
                .doesNotContain("http", "src=", "href=", "url(", "@import", "<link", "<img", "<script");
    }
}
