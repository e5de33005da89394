package io.freehold.controlplane.billing.decision;

import java.math.BigDecimal;
import java.util.Currency;
import java.util.List;

/**
 * What a tenant owes for a period, as rating computes it: lines, the sum of their amounts, the sum of their taxes,
 * and the total. Every figure is a sum of amounts already rounded per line, so the invoice adds up as printed.
 */
public record RatedInvoice(BillingPeriod period, Currency currency, List<InvoiceLine> lines, BigDecimal subtotal, BigDecimal tax,
                           BigDecimal total) {

    public RatedInvoice {
        lines = List.copyOf(lines);
    }
}
