package io.freehold.controlplane.billing.decision;

import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Duration;
import java.time.Instant;

/**
 * The month-end forecast: what was spent so far plus what runs now, at its current hourly rate, for the rest of the
 * month (to the second; 34 significant digits, since a rate per hour over seconds need not terminate). Spend so far is exact; what it will be depends on what the tenant does, so this is a
 * straight line, and is labelled one.
 */
public final class Forecast {

    private static final BigDecimal SECONDS_PER_HOUR = BigDecimal.valueOf(3600);

    private Forecast() {
    }

    public static BigDecimal monthEnd(BillingPeriod period, Instant now, BigDecimal monthToDate, BigDecimal hourlyRate) {
        if (!period.contains(now)) {
            throw new IllegalArgumentException(now + " is not in " + period);
        }
        long remainingSeconds = Duration.between(now, period.end()).toSeconds();
        return monthToDate.add(hourlyRate.multiply(BigDecimal.valueOf(remainingSeconds)).divide(SECONDS_PER_HOUR, MathContext.DECIMAL128));
    }
}
