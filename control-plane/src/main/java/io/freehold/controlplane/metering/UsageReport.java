package io.freehold.controlplane.metering;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * One tenant's usage over [from, to) as the API shows it: per resource ({@link #items}) and summed over the tenant
 * ({@link #totals}), per meter and period, in each meter's published unit, exactly. Only periods with usage appear.
 * Each period is the UTC calendar period clipped to [from, to), so its quantity covers exactly
 * {@code [periodStart, periodEnd)}.
 */
record UsageReport(String tenantId, Instant from, Instant to, UsageGranularity granularity, List<Item> items, List<Total> totals) {

    /**
     * One resource's usage of one meter in one period.
     *
     * @param flavor   for {@code instance.seconds}, the shape the instance ran as; null for the other meters
     * @param quantity the hours' quantities plus their adjustments, in {@code unit}, exact
     */
    record Item(String resourceId, String meter, String flavor, Instant periodStart, Instant periodEnd, BigDecimal quantity, String unit) {
    }

    /** The tenant's usage of one meter (and flavor) in one period: its items' sum. */
    record Total(String meter, String flavor, Instant periodStart, Instant periodEnd, BigDecimal quantity, String unit) {
    }
}
