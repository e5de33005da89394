package io.freehold.controlplane.billing;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.Arrays;

import org.junit.jupiter.api.Test;

/** The invoice CSV: FOCUS columns in a fixed order, one row per resource part, credit note and tax, summing to the total. */
class InvoiceCsvTest {

    private static final String MONTH = "2026-11-01T00:00:00Z,2026-12-01T00:00:00Z,";
    private static final String WEEK = "2026-11-02T10:00:00Z,2026-11-09T10:00:00Z,";
    private static final String FINAL = ",FH-2026-000042,FINAL\r\n";

    @Test
    void aFinalInvoiceHasARowPerResourcePartPerCreditNoteAndPerTaxedLineQuotedAsRfc4180Says() {
        assertThat(InvoiceCsv.of(SampleInvoices.finalNovember())).isEqualTo(
                "BillingPeriodStart,BillingPeriodEnd,ChargePeriodStart,ChargePeriodEnd,BilledCost,BillingCurrency,ResourceId,ResourceName,"
                        + "ConsumedQuantity,ConsumedUnit,ChargeCategory,ChargeDescription,x_InvoiceNumber,x_InvoiceStatus\r\n"
                        + MONTH + WEEK + "45.36,EUR,i-1,\"web \"\"blue\"\", 1\",604800,s,Usage,instance.seconds (2vcpu-4096mib-20gib)" + FINAL
                        + MONTH + WEEK + "45.36,EUR,i-2,<script>alert(1)</script>,604800,s,Usage,instance.seconds (2vcpu-4096mib-20gib)" + FINAL
                        + MONTH + WEEK + "17.24,EUR,,,,,Tax,tax 19 % on instance.seconds (2vcpu-4096mib-20gib)" + FINAL
                        + MONTH + WEEK + "0.00,EUR,i-1,\"web \"\"blue\"\", 1\",6048000,GiB·s,Usage,\"disk.gib.seconds, no price in force\"" + FINAL
                        + MONTH + WEEK + "0.00,EUR,i-2,<script>alert(1)</script>,6048000,GiB·s,Usage,\"disk.gib.seconds, no price in force\"" + FINAL
                        + MONTH + "2026-10-31T22:00:00Z,2026-11-01T00:00:00Z,0.05,EUR,i-1,\"web \"\"blue\"\", 1\",7200,vCPU·s,Adjustment,"
                        + "\"vcpu.seconds, late usage of closed periods\"" + FINAL
                        + MONTH + "2026-10-31T22:00:00Z,2026-11-01T00:00:00Z,0.01,EUR,,,,,Tax,\"tax 19 % on vcpu.seconds, late usage of closed periods\""
                        + FINAL
                        + MONTH + MONTH + "-10.00,EUR,,,,,Credit,\"credit note CN-7: outage of \"\"zone b\"\", 3 Nov\"" + FINAL
                        + MONTH + MONTH + "-1.90,EUR,,,,,Tax,\"tax 19 % on credit note CN-7: outage of \"\"zone b\"\", 3 Nov\"" + FINAL);
    }

    @Test
    void theBilledCostColumnSumsToTheInvoicesTotal() {
        // The columns up to BilledCost are times and a number, never quoted, and no field here holds a line end.
        String[] rows = InvoiceCsv.of(SampleInvoices.finalNovember()).split("\r\n");
        BigDecimal billed = Arrays.stream(rows).skip(1).map(row -> new BigDecimal(row.split(",")[4])).reduce(BigDecimal.ZERO, BigDecimal::add);

        assertThat(rows).hasSize(1 + 9);
        assertThat(billed).isEqualTo(new BigDecimal("96.12")).isEqualTo(SampleInvoices.finalNovember().total());
    }

    @Test
    void aDraftHasAnEmptyNumberAndSaysDraft() {
        Invoice draft = SampleInvoices.draftNovember();

        assertThat(InvoiceCsv.of(draft)).isEqualTo(InvoiceCsv.HEADER + "\r\n"
                + MONTH + "2026-11-02T10:00:00Z,2026-11-02T11:00:00Z,0.36,EUR,i-1,web,3600,s,Usage,instance.seconds (2vcpu-4096mib-20gib),,DRAFT\r\n"
                + MONTH + "2026-11-02T10:00:00Z,2026-11-02T11:00:00Z,0.07,EUR,,,,,Tax,tax 19 % on instance.seconds (2vcpu-4096mib-20gib),,DRAFT\r\n");
        assertThat(InvoiceCsv.filename(draft)).isEqualTo("invoice-t-1-2026-11.csv");
    }
}
