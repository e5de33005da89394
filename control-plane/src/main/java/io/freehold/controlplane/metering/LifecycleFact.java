package io.freehold.controlplane.metering;

import java.time.Instant;
import java.util.Objects;

/**
 * One fact of an instance's life as metering counts it.
 *
 * @param occurredAt server time in whole seconds (see {@link FactTime})
 * @param shape      the guest's size when the fact was observed; zero sizes when the observer did not say
 */
public record LifecycleFact(String instanceId, String tenantId, LifecycleEventKind event, Instant occurredAt, long generation,
                            Shape shape) {

    public LifecycleFact {
        Objects.requireNonNull(instanceId);
        Objects.requireNonNull(tenantId);
        Objects.requireNonNull(event);
        if (!occurredAt.equals(FactTime.wholeSeconds(occurredAt))) {
            throw new IllegalArgumentException("a fact's time is in whole seconds, not " + occurredAt);
        }
    }

    /** The sizes that metering multiplies time with. */
    public record Shape(int vcpus, long memoryMib, long rootDiskGib) {
    }
}
