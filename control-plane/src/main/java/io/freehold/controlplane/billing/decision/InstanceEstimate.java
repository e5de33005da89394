package io.freehold.controlplane.billing.decision;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Currency;
import java.util.List;

/**
 * What a prospective instance would cost, before tax, while it runs — and what its disk costs alone while it is
 * stopped — per hour and over a whole period, at the prices in force at {@code at}. Exact until shown: the same
 * arithmetic rating does, so an instance run for the estimated time is billed the estimate (up to the one rounding
 * of its invoice lines).
 */
public record InstanceEstimate(Currency currency, int priceListVersion, BigDecimal perHourRunning, BigDecimal perHourStopped,
                               BigDecimal perPeriodRunning, long periodHours, List<String> unpricedMeters) {

    private static final BigDecimal SECONDS_PER_HOUR = BigDecimal.valueOf(3600);
    private static final BigDecimal MIB_PER_GIB = BigDecimal.valueOf(1024);

    /** A prospective instance's sizes and its flavor's shape name (as metering names it). */
    public record Shape(int vcpus, long memoryMib, long rootDiskGib, String flavor) {
    }

    /** Prices {@code shape} at the prices in force at {@code at}; the period gives the month's hours. */
    public static InstanceEstimate of(PriceBook book, Instant at, Shape shape, BillingPeriod period) {
        PriceListVersion version = book.at(at).orElseThrow(() -> new IllegalArgumentException("no price list version in force at " + at));
        List<String> unpriced = List.of("instance.seconds", "vcpu.seconds", "memory.gib.seconds", "disk.gib.seconds").stream()
                .filter(meter -> version.unitPrice(meter, meter.equals("instance.seconds") ? shape.flavor() : "").isEmpty()).toList();
        BigDecimal running = price(version, "instance.seconds", shape.flavor())
                .add(price(version, "vcpu.seconds", "").multiply(BigDecimal.valueOf(shape.vcpus())))
                .add(price(version, "memory.gib.seconds", "").multiply(BigDecimal.valueOf(shape.memoryMib()).divide(MIB_PER_GIB)));
        BigDecimal disk = price(version, "disk.gib.seconds", "").multiply(BigDecimal.valueOf(shape.rootDiskGib()));
        BigDecimal share = book.payableShare();
        BigDecimal perHourRunning = running.add(disk).multiply(SECONDS_PER_HOUR).multiply(share);
        BigDecimal perHourStopped = disk.multiply(SECONDS_PER_HOUR).multiply(share);
        return new InstanceEstimate(book.currency(), version.version(), perHourRunning, perHourStopped,
                perHourRunning.multiply(BigDecimal.valueOf(period.hours())), period.hours(), unpriced);
    }

    private static BigDecimal price(PriceListVersion version, String meter, String flavor) {
        return version.unitPrice(meter, flavor).orElse(BigDecimal.ZERO);
    }
}
