package io.freehold.controlplane.inventory;

import java.time.Instant;

/**
 * One entry of a host's append-only history: a state change, or a change of its cordon.
 *
 * @param kind what happened, such as {@code registered}, {@code joined}, {@code connected}, {@code revoked}
 * @param fromState the state before, or null when the state did not change or the host was new
 * @param toState the state after, or null when the state did not change
 */
public record HostEvent(String id, String hostId, Instant occurredAt, String kind, HostState fromState, HostState toState,
                        String reason) {

    static final String ID_PREFIX = "he";
}
