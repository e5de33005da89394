package io.freehold.controlplane.scheduling.decision;

import java.util.Map;

import io.freehold.controlplane.inventory.HostState;
import io.freehold.controlplane.inventory.decision.Capacity.Resources;

/** Hosts and requests for planner tests, small enough to read in a table. */
final class TestHosts {

    static final String SITE = "s-fra1";

    private TestHosts() {
    }

    /** A READY, uncordoned host in {@link #SITE} with nothing allocated. */
    static HostSnapshot host(String id, String rack, long vcpus, long memoryMib, long diskGib) {
        return new HostSnapshot(id, SITE, rack, HostState.READY, false, Map.of(), new Resources(vcpus, memoryMib, diskGib), Resources.NONE, 1);
    }

    static HostSnapshot withAllocated(HostSnapshot host, long vcpus, long memoryMib, long diskGib) {
        return new HostSnapshot(host.hostId(), host.siteId(), host.rackId(), host.state(), host.cordoned(), host.labels(), host.allocatable(),
                new Resources(vcpus, memoryMib, diskGib), host.version());
    }

    static PlacementRequest request(long vcpus, long memoryMib, long diskGib) {
        return new PlacementRequest("instance:i-1", new Resources(vcpus, memoryMib, diskGib), null, Map.of(), null, ScoringPolicy.BIN_PACK);
    }
}
