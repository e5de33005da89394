package io.freehold.controlplane.billing.decision;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * What a tenant's instances cost per hour at {@code at}, before tax: for each, its {@link InstanceEstimate} at the
 * tenant's prices and discount — running if the tenant wants it powered on, else its disk alone. The rate the
 * month-end {@link Forecast} extends to the end of the month.
 */
public final class HourlyRate {

    /** One instance as the rate sees it: its shape and whether the tenant wants it running. */
    public record PricedInstance(InstanceEstimate.Shape shape, boolean running) {
    }

    private HourlyRate() {
    }

    /** @throws IllegalArgumentException when no price-list version is in force at {@code at} and there is an instance to price */
    public static BigDecimal of(PriceBook book, Instant at, List<PricedInstance> instances) {
        BillingPeriod period = BillingPeriod.of(at);
        BigDecimal rate = BigDecimal.ZERO;
        for (PricedInstance instance : instances) {
            InstanceEstimate estimate = InstanceEstimate.of(book, at, instance.shape(), period);
            rate = rate.add(instance.running() ? estimate.perHourRunning() : estimate.perHourStopped());
        }
        return rate;
    }
}
