package io.freehold.controlplane.billing;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.freehold.controlplane.platform.web.Csv;

/**
 * An invoice as a FOCUS-style CSV (RFC 4180: CRLF line ends, a field quoted when it holds a comma, a quote or a line
 * end). Columns are FOCUS's names, plus two custom {@code x_} columns naming the invoice. Rows: one per resource's part
 * of each line, one per line without parts (a credit note), and one {@code Tax} row per line with tax, right after it.
 * Every row carries the money it adds and nothing else, so the BilledCost column sums to the invoice's total exactly.
 */
final class InvoiceCsv {

    static final String HEADER = "BillingPeriodStart,BillingPeriodEnd,ChargePeriodStart,ChargePeriodEnd,BilledCost,BillingCurrency,"
            + "ResourceId,ResourceName,ConsumedQuantity,ConsumedUnit,ChargeCategory,ChargeDescription,x_InvoiceNumber,x_InvoiceStatus";

    private InvoiceCsv() {
    }

    static String of(Invoice invoice) {
        StringBuilder csv = new StringBuilder(HEADER).append(Csv.LINE_END);
        for (Invoice.Line line : invoice.lines()) {
            for (Invoice.Resource resource : line.resources()) {
                csv.append(row(invoice, line.chargePeriodStart(), line.chargePeriodEnd(), resource.amount(), resource.resourceId(),
                        resource.resourceName(), resource.quantity().toPlainString(), line.unit(), line.category(), line.description()));
            }
            // A line without parts is a credit note: it consumed nothing, so it has no quantity to show.
            if (line.resources().isEmpty()) {
                csv.append(row(invoice, line.chargePeriodStart(), line.chargePeriodEnd(), line.amount(), "", "", "", "", line.category(),
                        line.description()));
            }
            if (line.tax().signum() != 0) {
                csv.append(row(invoice, line.chargePeriodStart(), line.chargePeriodEnd(), line.tax(), "", "", "", "", "Tax",
                        "tax " + percent(line.taxRate()) + " % on " + line.description()));
            }
        }
        return csv.toString();
    }

    /** {@code invoice-<tenant>-<yyyy-MM>.csv}: an invoice is named by its tenant and month, draft or final. */
    static String filename(Invoice invoice) {
        return "invoice-" + invoice.tenantId() + "-" + invoice.period() + ".csv";
    }

    private static String row(Invoice invoice, Instant chargeStart, Instant chargeEnd, BigDecimal billedCost, String resourceId,
                              String resourceName, String quantity, String unit, String category, String description) {
        return Stream.of(invoice.billingPeriodStart().toString(), invoice.billingPeriodEnd().toString(), chargeStart.toString(),
                        chargeEnd.toString(), billedCost.toPlainString(), invoice.currency(), resourceId, resourceName, quantity, unit,
                        category, description, invoice.number() == null ? "" : invoice.number(), invoice.status().name())
                .map(Csv::field)
                .collect(Collectors.joining(",", "", Csv.LINE_END));
    }

    /** A rate stored as a fraction, in percent: 0.19 is {@code 19}. */
    private static String percent(BigDecimal fraction) {
        return fraction.movePointRight(2).stripTrailingZeros().toPlainString();
    }
}
