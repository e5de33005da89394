package io.freehold.agent.guest;

import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

import io.freehold.agent.guest.GuestInventory.Guest;

/**
 * Each guest's running-seconds counter (ARCHITECTURE §3.6), kept in milliseconds: the time the agent saw the guest
 * running, independent of the lifecycle facts so that metering can be checked against it. Pure: counters and looks
 * in, new counters out. "Running" is {@link PowerState#isActive()}, as for the facts.
 *
 * <p>Within one agent process, a guest seen running at the previous look is credited with all the time since, measured
 * on the monotonic clock, whether or not it still runs: it stopped at some moment in between, and ran until then as
 * far as anyone knows. Across an agent restart the monotonic clock is gone and the gap may be long, so the gap is
 * credited only to guests that provably ran through it: running at both looks as the same run of their domain.
 *
 * <p>Every guest of the later look has a counter (0 until it runs). A guest that disappeared keeps its counter; the
 * ledger drops it once the control plane has acknowledged the guest's deletion.
 */
final class RunningTime {

    private RunningTime() {
    }

    /** Counters after a look that follows {@code earlier} in the same process, {@code elapsedMillis} later. */
    static SortedMap<String, Long> afterLook(Map<String, Long> counters, Observation earlier, Observation later,
                                             long elapsedMillis) {
        SortedMap<String, Long> next = new TreeMap<>(counters);
        for (Guest guest : earlier.guests().values()) {
            if (guest.isRunning()) {
                next.merge(guest.instanceId(), Math.max(0, elapsedMillis), Long::sum);
            }
        }
        return withEveryGuestOf(later, next);
    }

    /**
     * Counters after the first look of a new agent process, whose predecessor's last look was {@code earlier}; the gap
     * is measured on the wall clock, and a clock set back credits nothing.
     */
    static SortedMap<String, Long> acrossRestart(Map<String, Long> counters, Observation earlier, Observation later) {
        long gap = Math.max(0, Duration.between(earlier.at(), later.at()).toMillis());
        SortedMap<String, Long> next = new TreeMap<>(counters);
        for (String id : earlier.guests().keySet()) {
            if (earlier.ranOn(id, later)) {
                next.merge(id, gap, Long::sum);
            }
        }
        return withEveryGuestOf(later, next);
    }

    private static SortedMap<String, Long> withEveryGuestOf(Observation look, SortedMap<String, Long> counters) {
        look.guests().keySet().forEach(id -> counters.putIfAbsent(id, 0L));
        return Collections.unmodifiableSortedMap(counters);
    }
}
