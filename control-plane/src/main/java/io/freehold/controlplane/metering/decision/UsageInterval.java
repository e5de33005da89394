package io.freehold.controlplane.metering.decision;

import java.time.Instant;
import java.util.Objects;

import io.freehold.controlplane.metering.LifecycleFact.Shape;

/**
 * Usage of one meter over [from, to) at a constant rate: {@link #quantity()} = rate × seconds, in the meter's
 * stored unit ({@link Meter#storedUnit()}).
 *
 * @param rate  per second: 1 for instance seconds, the vCPUs, the memory MiB, or the disk GiB in force
 * @param shape the sizes in force over the interval (for {@code instance.seconds}, the flavor it ran as)
 */
public record UsageInterval(Meter meter, Instant from, Instant to, long rate, Shape shape) {

    public UsageInterval {
        Objects.requireNonNull(meter);
        Objects.requireNonNull(shape);
        if (!from.isBefore(to) || rate <= 0) {
            throw new IllegalArgumentException("an interval is non-empty with a positive rate: " + from + ".." + to + " × " + rate);
        }
    }

    public long seconds() {
        return to.getEpochSecond() - from.getEpochSecond();
    }

    public long quantity() {
        return Math.multiplyExact(rate, seconds());
    }
}
