package io.freehold.agent.guest;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

import io.freehold.agent.v1.GuestReport;

/**
 * What the guest ledger keeps across agent restarts: the last look at the guests, each guest's running time in
 * milliseconds, and the reports the control plane has not acknowledged yet, oldest first.
 */
record LedgerState(Observation lastLook, Map<String, Long> runningMillis, List<GuestReport> pending) {

    LedgerState {
        Objects.requireNonNull(lastLook, "last look");
        runningMillis = Collections.unmodifiableMap(new TreeMap<>(runningMillis));
        pending = List.copyOf(pending);
    }

    /** The state of an agent that never looked: no file yet, or one that could not be read. */
    static LedgerState fresh() {
        return new LedgerState(Observation.none(), Map.of(), List.of());
    }

    /**
     * Whether the two would be stored differently in any way that matters: only the time of the last look is left
     * out, so a look that found nothing new writes nothing. A running guest changes its counter, so the time is
     * stored at every look that a later restart's gap could be measured from.
     */
    boolean differsFrom(LedgerState other) {
        return !lastLook.guests().equals(other.lastLook.guests()) || !lastLook.bootId().equals(other.lastLook.bootId())
                || lastLook.appliedSeq() != other.lastLook.appliedSeq() || !runningMillis.equals(other.runningMillis)
                || !pending.equals(other.pending);
    }
}
