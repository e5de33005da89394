package io.freehold.controlplane.compute.decision;

import java.util.List;
import java.util.Optional;

/**
 * What was observed of an instance.
 *
 * @param hostId the host it is placed on, or null before scheduling
 * @param observedGeneration the last spec generation the host's agent applied; 0 until one did
 * @param conditions at most one per type
 */
public record InstanceStatus(InstancePhase phase, String hostId, long observedGeneration, List<Condition> conditions) {

    public InstanceStatus {
        conditions = List.copyOf(conditions);
    }

    /** A new instance: pending, nowhere, nothing observed. */
    public static InstanceStatus pending() {
        return new InstanceStatus(InstancePhase.PENDING, null, 0, List.of());
    }

    public Optional<Condition> condition(String type) {
        return conditions.stream().filter(condition -> condition.type().equals(type)).findFirst();
    }
}
