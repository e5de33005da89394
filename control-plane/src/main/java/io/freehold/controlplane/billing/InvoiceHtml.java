package io.freehold.controlplane.billing;

import java.math.BigDecimal;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

import org.springframework.web.util.HtmlUtils;

/**
 * An invoice as one printable HTML page. It is self-contained (styles inline; no script, image, font or link), so it
 * prints, saves and archives as it is; every value from the invoice is HTML-escaped. A draft carries a banner saying
 * it is not final, and no number.
 */
final class InvoiceHtml {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter MONTH = DateTimeFormatter.ofPattern("MMMM yyyy", Locale.ENGLISH);
    private static final String STYLE = """
            body { font: 10.5pt/1.4 system-ui, sans-serif; color: #111; max-width: 64rem; margin: 2rem auto; padding: 0 1rem; }
            h1 { font-size: 1.6rem; margin: 0 0 1rem; }
            .draft { border: 3px solid #b00020; color: #b00020; font-weight: bold; padding: .5rem 1rem; }
            dl { display: grid; grid-template-columns: max-content auto; gap: .2rem 1.5rem; margin: 0 0 1.5rem; }
            dt { color: #555; }
            dd { margin: 0; }
            table { width: 100%; border-collapse: collapse; }
            th, td { padding: .25rem .5rem; text-align: left; vertical-align: top; }
            thead th { border-bottom: 2px solid #111; }
            tbody { border-bottom: 1px solid #ccc; }
            .num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
            .period { white-space: nowrap; }
            .part td { color: #444; font-size: .9em; padding-top: 0; }
            .part td:first-child { padding-left: 2rem; }
            .id { color: #777; font-family: ui-monospace, monospace; }
            tfoot th { text-align: right; font-weight: normal; }
            tfoot tr:last-child > * { font-weight: bold; border-top: 2px solid #111; }
            footer { margin-top: 1.5rem; color: #555; font-size: .9em; }
            @page { size: A4; margin: 15mm; }
            @media print {
              body { margin: 0; max-width: none; padding: 0; font-size: 9pt; }
              thead { display: table-header-group; }
              tbody, tfoot { break-inside: avoid; }
              .draft { print-color-adjust: exact; -webkit-print-color-adjust: exact; }
            }
            """;

    private InvoiceHtml() {
    }

    static String of(Invoice invoice) {
        boolean draft = invoice.status() == Invoice.Status.DRAFT;
        String title = draft ? "Draft invoice" : "Invoice " + invoice.number();
        StringBuilder html = new StringBuilder("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<title>").append(escape(title + " — " + invoice.tenantId() + ", " + MONTH.format(invoice.period()))).append("</title>\n")
                .append("<style>\n").append(STYLE).append("</style>\n</head>\n<body>\n");
        if (draft) {
            html.append("<p class=\"draft\">DRAFT — not final: the amounts change until the month closes.</p>\n");
        }
        html.append("<h1>").append(escape(title)).append("</h1>\n<dl>\n")
                .append(fact("Tenant", escape(invoice.tenantId())))
                .append(fact("Period", escape(MONTH.format(invoice.period())) + " (" + escape(TIME.format(invoice.billingPeriodStart()))
                        + " to " + escape(TIME.format(invoice.billingPeriodEnd())) + " UTC)"))
                .append(fact("Currency", escape(invoice.currency())))
                .append(fact("Price list", escape(invoice.priceListId())))
                .append(fact("Discount", escape(invoice.discountPercent().stripTrailingZeros().toPlainString()) + " %"))
                .append(draft ? fact("Computed", escape(TIME.format(invoice.computedAt())) + " UTC")
                        : fact("Closed", escape(TIME.format(invoice.finalizedAt())) + " UTC"))
                .append("</dl>\n<table>\n<thead><tr><th>Description</th><th>Charge period (UTC)</th><th class=\"num\">Quantity</th>")
                .append("<th class=\"num\">Unit price</th><th class=\"num\">List amount</th><th class=\"num\">Amount</th>")
                .append("<th class=\"num\">Tax rate</th><th class=\"num\">Tax</th></tr></thead>\n");
        invoice.lines().forEach(line -> html.append(lineRows(line)));
        return html.append("<tfoot>\n")
                .append(total("Subtotal", invoice.subtotal()))
                .append(total("Tax", invoice.tax()))
                .append(total("Total (" + invoice.currency() + ")", invoice.total()))
                .append("</tfoot>\n</table>\n<footer><p>Amounts are in ").append(escape(invoice.currency()))
                .append(". Each line's amounts are rounded once per line to the currency's minor unit, half-even; ")
                .append("the subtotal, tax and total are sums of the rounded lines, and a line's resource parts add up to its amount.</p></footer>\n")
                .append("</body>\n</html>\n")
                .toString();
    }

    /** A line and its resource parts in one {@code tbody}, so that printing keeps them on one page. */
    private static String lineRows(Invoice.Line line) {
        StringBuilder rows = new StringBuilder("<tbody>\n<tr class=\"line\">")
                .append(text(line.description()))
                .append("<td class=\"period\">").append(escape(TIME.format(line.chargePeriodStart()) + " – " + TIME.format(line.chargePeriodEnd())))
                .append("</td>")
                .append(number(line.quantity().toPlainString() + " " + line.unit()))
                .append(number(line.unitPrice().toPlainString()))
                .append(number(line.listAmount().toPlainString()))
                .append(number(line.amount().toPlainString()))
                .append(number(line.taxRate().movePointRight(2).stripTrailingZeros().toPlainString() + " %"))
                .append(number(line.tax().toPlainString()))
                .append("</tr>\n");
        for (Invoice.Resource resource : line.resources()) {
            rows.append("<tr class=\"part\"><td>").append(escape(resource.resourceName()))
                    .append(" <span class=\"id\">").append(escape(resource.resourceId())).append("</span></td><td></td>")
                    .append(number(resource.quantity().toPlainString() + " " + line.unit()))
                    .append("<td></td><td></td>")
                    .append(number(resource.amount().toPlainString()))
                    .append("<td></td><td></td></tr>\n");
        }
        return rows.append("</tbody>\n").toString();
    }

    private static String fact(String name, String escapedValue) {
        return "<dt>" + name + "</dt><dd>" + escapedValue + "</dd>\n";
    }

    private static String total(String name, BigDecimal amount) {
        return "<tr><th colspan=\"7\">" + escape(name) + "</th>" + number(amount.toPlainString()) + "</tr>\n";
    }

    private static String text(String value) {
        return "<td>" + escape(value) + "</td>";
    }

    private static String number(String value) {
        return "<td class=\"num\">" + escape(value) + "</td>";
    }

    /** Only what HTML needs ({@code < > & " '}): the page is UTF-8, so other characters such as {@code ·} stay as they are. */
    private static String escape(String value) {
        return HtmlUtils.htmlEscape(value, "UTF-8");
    }
}
