package io.freehold.controlplane.metering.decision;

import java.time.Duration;
import java.util.Objects;

/**
 * One instance's running seconds by each witness, compared like with like: the log as of the instant its host's
 * counter was read, and the log as of the rollups' last compute against what they bill.
 *
 * @param loggedRunningSeconds what the lifecycle log integrates to as of the counter reading (as of now without one)
 * @param runningIntervals     the log's running intervals up to then, each of which brings its own rounding
 * @param agentRunningSeconds  the hosts' counters summed, restarts carried; null when no host reported one
 * @param counterAge           how old the latest counter reading is; null without one
 * @param deleted              whether the log holds the instance's delete, after which no host reports it
 * @param rollupBehindSeconds  the log as of the rollups' last compute minus what they bill
 * @param duplicateDeliveries  deliveries of facts the log had already, refused and not billed
 * @param counterResets        how often a counter of the instance restarted from 0
 * @param staleAfter           how long a host may stay silent before it is unreachable
 */
public record RunningSecondsComparison(long loggedRunningSeconds, int runningIntervals, Long agentRunningSeconds, Duration counterAge,
                                       boolean deleted, long rollupBehindSeconds, long duplicateDeliveries, long counterResets,
                                       Duration staleAfter) {

    public RunningSecondsComparison {
        Objects.requireNonNull(staleAfter);
        if ((agentRunningSeconds == null) != (counterAge == null)) {
            throw new IllegalArgumentException("a counter comes with the age of its reading");
        }
    }

    /** Logged minus counted; null without a counter. */
    public Long difference() {
        return agentRunningSeconds == null ? null : loggedRunningSeconds - agentRunningSeconds;
    }
}
