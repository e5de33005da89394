package io.freehold.controlplane.billing.decision;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * One line of an invoice: a meter (and flavor) at one unit price, or one credit note.
 *
 * @param priceListVersion the version whose price applied; 0 when none was in force (the line then costs nothing)
 * @param listAmount       quantity × unit price, rounded
 * @param amount           after the discount, rounded: what the line adds to the subtotal
 * @param tax              amount × tax rate, rounded
 * @param details          per resource; their amounts add up to {@code amount} exactly
 */
public record InvoiceLine(ChargeCategory category, String meter, String flavor, String description, Instant chargePeriodStart,
                          Instant chargePeriodEnd, BigDecimal quantity, String unit, BigDecimal unitPrice, int priceListVersion,
                          BigDecimal listAmount, BigDecimal discountPercent, BigDecimal amount, BigDecimal taxRate, BigDecimal tax,
                          List<LineDetail> details) {

    public InvoiceLine {
        details = List.copyOf(details);
    }

    /** One resource's part of a line. */
    public record LineDetail(String resourceId, BigDecimal quantity, BigDecimal amount) {
    }
}
