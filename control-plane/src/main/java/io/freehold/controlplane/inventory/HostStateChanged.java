package io.freehold.controlplane.inventory;

import java.time.Instant;

/**
 * A host's state changed (connected, heartbeats resumed or missed, stream closed). Published inside the
 * transaction that changed it, so a listener's writes commit or roll back with the change.
 */
public record HostStateChanged(String hostId, HostState from, HostState to, Instant at) {

    /** Whether the host was lost or came back. */
    public boolean reachabilityChanged() {
        return (from == HostState.UNREACHABLE) != (to == HostState.UNREACHABLE);
    }
}
