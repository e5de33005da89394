package io.freehold.controlplane.scheduling.decision;

import java.util.Map;

import io.freehold.controlplane.inventory.HostState;
import io.freehold.controlplane.inventory.decision.Capacity.Resources;

/**
 * A host as the planner sees it.
 *
 * @param rackId null for a host that joined without a slot
 * @param version the host's version when the snapshot was taken, which the applier compares at commit
 */
public record HostSnapshot(String hostId, String siteId, String rackId, HostState state, boolean cordoned, Map<String, String> labels,
                           Resources allocatable, Resources allocated, long version) {

    public Resources free() {
        return allocatable.minus(allocated);
    }

    public HostSnapshot plus(Resources more) {
        return new HostSnapshot(hostId, siteId, rackId, state, cordoned, labels, allocatable, allocated.plus(more), version);
    }
}
