package io.freehold.controlplane.billing.decision;

import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.Objects;

/** A UTC calendar month, the period of one invoice: [first second of the month, first second of the next). */
public record BillingPeriod(YearMonth month) {

    public BillingPeriod {
        Objects.requireNonNull(month);
    }

    /** The period holding {@code instant}. */
    public static BillingPeriod of(Instant instant) {
        return new BillingPeriod(YearMonth.from(instant.atOffset(ZoneOffset.UTC)));
    }

    public Instant start() {
        return month.atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
    }

    public Instant end() {
        return month.plusMonths(1).atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
    }

    /** Hours in the month: 672 to 744 (UTC has no daylight saving). */
    public long hours() {
        return month.lengthOfMonth() * 24L;
    }

    public boolean contains(Instant instant) {
        return !instant.isBefore(start()) && instant.isBefore(end());
    }

    public BillingPeriod next() {
        return new BillingPeriod(month.plusMonths(1));
    }

    @Override
    public String toString() {
        return month.toString();
    }
}
