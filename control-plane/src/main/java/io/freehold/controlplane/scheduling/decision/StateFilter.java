package io.freehold.controlplane.scheduling.decision;

import io.freehold.controlplane.inventory.HostState;

/** First: two field reads, and most hosts that cannot take work at all are out before anything is computed. */
final class StateFilter implements HostFilter {

    @Override
    public Rejection reject(PlacementRequest request, HostSnapshot host) {
        if (host.state() != HostState.READY) {
            return Rejection.NOT_READY;
        }
        return host.cordoned() ? Rejection.CORDONED : null;
    }
}
