package io.freehold.controlplane.billing.decision;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Objects;

/**
 * One hour of one resource's metered usage, in the meter's published unit — or, for an adjustment, the late difference
 * recorded for such an hour after it was closed.
 *
 * @param flavor the shape for {@code instance.seconds}, empty for other meters
 */
public record UsageHour(String resourceId, String meter, String flavor, Instant hour, BigDecimal quantity, String unit) {

    public UsageHour {
        Objects.requireNonNull(resourceId);
        Objects.requireNonNull(meter);
        Objects.requireNonNull(flavor);
        Objects.requireNonNull(hour);
        Objects.requireNonNull(quantity);
        Objects.requireNonNull(unit);
    }
}
