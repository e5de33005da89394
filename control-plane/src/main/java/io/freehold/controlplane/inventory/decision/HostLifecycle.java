package io.freehold.controlplane.inventory.decision;

import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

import io.freehold.controlplane.inventory.HostState;

/**
 * The host state machine of ARCHITECTURE §7 as one table: for each state, what each event leads to.
 * An event missing from a state's row is ignored in that state (a heartbeat racing a revoke, say),
 * never an error. {@code docs/host-lifecycle.md} is generated from this table by a test.
 */
public final class HostLifecycle {

    /** What can happen to a host. */
    public enum Event {
        /** Its agent presented a Hello on a new stream. */
        CONNECTED,
        /** A heartbeat arrived. */
        HEARTBEAT,
        /** No heartbeat for longer than the silence limit. */
        SILENT,
        /** Its stream closed. */
        DISCONNECTED,
        /** Ops revoked it. */
        REVOKED
    }

    private static final Map<HostState, Map<Event, HostState>> TABLE = new EnumMap<>(HostState.class);

    static {
        row(HostState.REGISTERED, Map.of(Event.CONNECTED, HostState.READY, Event.REVOKED, HostState.REVOKED));
        row(HostState.READY, Map.of(Event.SILENT, HostState.UNREACHABLE, Event.DISCONNECTED, HostState.UNREACHABLE,
                Event.REVOKED, HostState.REVOKED));
        row(HostState.UNREACHABLE, Map.of(Event.CONNECTED, HostState.READY, Event.HEARTBEAT, HostState.READY,
                Event.REVOKED, HostState.REVOKED));
        row(HostState.REVOKED, Map.of());
    }

    private HostLifecycle() {
    }

    private static void row(HostState from, Map<Event, HostState> transitions) {
        Map<Event, HostState> row = new EnumMap<>(Event.class);
        row.putAll(transitions);
        TABLE.put(from, row);
    }

    /** @return the new state, or empty when the event changes nothing in {@code current} */
    public static Optional<HostState> next(HostState current, Event event) {
        return Optional.ofNullable(TABLE.get(current).get(event));
    }

    /** Every transition, for the generated diagram. */
    public static Map<HostState, Map<Event, HostState>> table() {
        Map<HostState, Map<Event, HostState>> copy = new EnumMap<>(HostState.class);
        TABLE.forEach((state, row) -> copy.put(state, Map.copyOf(row)));
        return copy;
    }
}
