package io.freehold.controlplane.scheduling.decision;

import java.util.List;

/** Every host the planner may choose from, at one moment. */
public record ClusterSnapshot(List<HostSnapshot> hosts) {

    public ClusterSnapshot {
        hosts = List.copyOf(hosts);
    }
}
