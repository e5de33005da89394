package io.freehold.controlplane.billing;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.YearMonth;
import java.util.List;

/**
 * Invoices written out by hand, figures as rating would make them (EUR, 25 % off, 19 % tax), for the export tests.
 * The final one has every kind of line: usage of two resources, usage no price covered (no tax), late usage of a
 * closed period, and a credit note; names and descriptions hold commas, quotes and markup.
 */
final class SampleInvoices {

    static final Instant NOVEMBER = Instant.parse("2026-11-01T00:00:00Z");
    static final Instant DECEMBER = Instant.parse("2026-12-01T00:00:00Z");
    static final String WEB = "web \"blue\", 1";
    static final String SCRIPT = "<script>alert(1)</script>";

    private SampleInvoices() {
    }

    /** Subtotal 90.72 + 0.00 + 0.05 − 10.00 = 80.77, tax 17.24 + 0.01 − 1.90 = 15.35, total 96.12. */
    static Invoice finalNovember() {
        Invoice.Line instances = new Invoice.Line("Usage", "instance.seconds", "2vcpu-4096mib-20gib", "instance.seconds (2vcpu-4096mib-20gib)",
                Instant.parse("2026-11-02T10:00:00Z"), Instant.parse("2026-11-09T10:00:00Z"), decimal("1209600"), "s", decimal("0.0001"), 1,
                decimal("120.96"), decimal("25"), decimal("90.72"), decimal("0.19"), decimal("17.24"),
                List.of(new Invoice.Resource("i-1", WEB, decimal("604800"), decimal("45.36")),
                        new Invoice.Resource("i-2", SCRIPT, decimal("604800"), decimal("45.36"))));
        Invoice.Line disks = new Invoice.Line("Usage", "disk.gib.seconds", "", "disk.gib.seconds, no price in force",
                Instant.parse("2026-11-02T10:00:00Z"), Instant.parse("2026-11-09T10:00:00Z"), decimal("12096000"), "GiB·s", decimal("0"), 0,
                decimal("0.00"), decimal("25"), decimal("0.00"), decimal("0"), decimal("0.00"),
                List.of(new Invoice.Resource("i-1", WEB, decimal("6048000"), decimal("0.00")),
                        new Invoice.Resource("i-2", SCRIPT, decimal("6048000"), decimal("0.00"))));
        Invoice.Line lateVcpus = new Invoice.Line("Adjustment", "vcpu.seconds", "", "vcpu.seconds, late usage of closed periods",
                Instant.parse("2026-10-31T22:00:00Z"), NOVEMBER, decimal("7200"), "vCPU·s", decimal("0.00001"), 1,
                decimal("0.07"), decimal("25"), decimal("0.05"), decimal("0.19"), decimal("0.01"),
                List.of(new Invoice.Resource("i-1", WEB, decimal("7200"), decimal("0.05"))));
        Invoice.Line credit = new Invoice.Line("Credit", "", "", "credit note CN-7: outage of \"zone b\", 3 Nov", NOVEMBER, DECEMBER,
                decimal("1"), "credit note", decimal("-10.00"), 0, decimal("-10.00"), decimal("0"), decimal("-10.00"), decimal("0.19"),
                decimal("-1.90"), List.of());
        return new Invoice("t-1", YearMonth.of(2026, 11), Invoice.Status.FINAL, "FH-2026-000042", "EUR", "pl-1", decimal("25"),
                NOVEMBER, DECEMBER, List.of(instances, disks, lateVcpus, credit), decimal("80.77"), decimal("15.35"), decimal("96.12"),
                Instant.parse("2026-12-01T00:05:00Z"), Instant.parse("2026-12-01T00:05:00Z"));
    }

    /** The month so far: one line, 0.36 + tax 0.07 = 0.43, no number yet. */
    static Invoice draftNovember() {
        Invoice.Line instances = new Invoice.Line("Usage", "instance.seconds", "2vcpu-4096mib-20gib", "instance.seconds (2vcpu-4096mib-20gib)",
                Instant.parse("2026-11-02T10:00:00Z"), Instant.parse("2026-11-02T11:00:00Z"), decimal("3600"), "s", decimal("0.0001"), 1,
                decimal("0.36"), decimal("0"), decimal("0.36"), decimal("0.19"), decimal("0.07"),
                List.of(new Invoice.Resource("i-1", "web", decimal("3600"), decimal("0.36"))));
        return new Invoice("t-1", YearMonth.of(2026, 11), Invoice.Status.DRAFT, null, "EUR", "pl-1", decimal("0"), NOVEMBER, DECEMBER,
                List.of(instances), decimal("0.36"), decimal("0.07"), decimal("0.43"), Instant.parse("2026-11-02T12:00:00Z"), null);
    }

    private static BigDecimal decimal(String value) {
        return new BigDecimal(value);
    }
}
