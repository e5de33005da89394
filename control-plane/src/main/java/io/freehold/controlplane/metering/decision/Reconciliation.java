package io.freehold.controlplane.metering.decision;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.List;

/**
 * Judges one instance's running seconds by its three witnesses — the lifecycle log, its hosts' running-seconds
 * counters and the rollups — and names the likely cause of a difference. Pure: the caller reads the witnesses.
 *
 * <p>The log and a counter are compared as of the instant the counter was read, so that time passing is no
 * difference. What remains is resolution, hence {@link #tolerance}, and lost facts: metering never invents
 * running time, so a lost {@code stopped} shows as the log counting more than the host saw, and a lost
 * {@code started} as less.
 */
public final class Reconciliation {

    /**
     * The rollups' last compute is known only from the {@code computed_at} of the rows it wrote, stamped just after
     * it integrated as of a whole second, and so possibly in the next second: a running instance may seem a second
     * behind.
     */
    static final long ROLLUP_SLACK_SECONDS = 1;

    private Reconciliation() {
    }

    /** What the log says about running time up to {@code asOf}. */
    public record LoggedRunning(long seconds, int intervals) {
    }

    /** The log's running seconds and running intervals as of {@code asOf}, by the {@link UsageIntegrator}'s rules. */
    public static LoggedRunning loggedRunning(Collection<MeteredFact> facts, Instant asOf) {
        List<UsageInterval> running = UsageIntegrator.integrate(facts, asOf).stream()
                .filter(interval -> interval.meter() == Meter.INSTANCE_SECONDS)
                .toList();
        return new LoggedRunning(running.stream().mapToLong(UsageInterval::seconds).sum(), running.size());
    }

    /**
     * What the rollups' running seconds lack (negative: hold too many) against the log: not a billing error but a
     * recompute still to come. When a fact was recorded after the rollups were last written, a recompute is queued,
     * and what it will change is the log as of {@code asOf} (the counter reading, or the last compute if that is
     * later) minus what is billed. Otherwise the rollups are compared with the log as of their last compute, so that
     * the seconds after it — a running instance's open hour, or the last second of a fact dated a little ahead of
     * the clock that recorded it — which only the next sweep adds, are no lag.
     *
     * @param computedAt     when the rollups were last written; null when never
     * @param lastRecordedAt when the instance's latest fact was recorded; null without facts
     */
    public static long rollupBehind(Collection<MeteredFact> facts, long billedSeconds, Instant computedAt, Instant lastRecordedAt,
                                    Instant asOf) {
        if (computedAt == null) {
            return loggedRunning(facts, asOf).seconds() - billedSeconds;
        }
        Instant computedAsOf = computedAt.truncatedTo(ChronoUnit.SECONDS);
        boolean queued = lastRecordedAt != null && lastRecordedAt.isAfter(computedAt);
        // A reading older than the last compute would take the running seconds since the reading for a lag.
        Instant logAsOf = queued && asOf.isAfter(computedAsOf) ? asOf : computedAsOf;
        return loggedRunning(facts, logAsOf).seconds() - billedSeconds;
    }

    /**
     * Seconds of difference that whole-second resolution explains, either way: each running interval's two fact
     * times are truncated to whole seconds (less than 1 s); the heartbeat carries the counter rounded down (less
     * than 1 s); and the counter is as of the agent's last look, at most a look interval (1 s) before the heartbeat
     * that the reading is dated by.
     */
    public static long tolerance(int runningIntervals) {
        return runningIntervals + 2L;
    }

    /**
     * The likely cause, most telling first: without a counter nothing is verified; a difference beyond the
     * tolerance is a lost fact (or a restarted counter); then a stale reading, rollups not yet recomputed, and
     * repeated deliveries, which are never billed.
     */
    public static ReconciliationVerdict judge(RunningSecondsComparison c) {
        long tolerance = tolerance(c.runningIntervals());
        String repeats = c.duplicateDeliveries() == 0 ? ""
                : " " + c.duplicateDeliveries() + " repeated " + (c.duplicateDeliveries() == 1 ? "delivery" : "deliveries")
                        + " of facts the log already held " + (c.duplicateDeliveries() == 1 ? "was" : "were") + " ignored and not billed.";
        if (c.agentRunningSeconds() == null) {
            return new ReconciliationVerdict(ReconciliationCause.COUNTER_STALE, tolerance, "No host has reported a running-seconds counter"
                    + " for this instance: its " + c.loggedRunningSeconds() + " logged running seconds are not verified." + repeats);
        }
        long difference = c.difference();
        if (difference < -tolerance) {
            return new ReconciliationVerdict(ReconciliationCause.MISSING_START, tolerance, "The host saw it running " + -difference
                    + " s more than the log counts: a started fact was likely lost, and metering never invents running time,"
                    + " so those seconds are not billed." + repeats);
        }
        if (difference > tolerance && c.counterResets() > 0) {
            return new ReconciliationVerdict(ReconciliationCause.COUNTER_RESET, tolerance, "The log counts " + difference
                    + " s more than the counter, which restarted from 0 " + c.counterResets() + (c.counterResets() == 1 ? " time" : " times")
                    + " (its agent lost its ledger) and counts nothing for the time the agent was down; if the agent was down about"
                    + " that long, the billing is right, otherwise a stopped fact was lost." + repeats);
        }
        if (difference > tolerance) {
            return new ReconciliationVerdict(ReconciliationCause.MISSING_STOP, tolerance, "The log counts " + difference
                    + " s more running time than the host saw: a stopped fact was likely lost, and those seconds are billed"
                    + " although the guest did not run." + repeats);
        }
        if (!c.deleted() && c.counterAge().compareTo(c.staleAfter()) > 0) {
            return new ReconciliationVerdict(ReconciliationCause.COUNTER_STALE, tolerance, "Log and counter agreed when the counter was"
                    + " last read, " + c.counterAge().toSeconds() + " s ago, longer than a host may stay silent ("
                    + c.staleAfter().toSeconds() + " s): the host is unreachable or no longer reports the guest, and the seconds"
                    + " since are not verified." + repeats);
        }
        if (Math.abs(c.rollupBehindSeconds()) > ROLLUP_SLACK_SECONDS) {
            return new ReconciliationVerdict(ReconciliationCause.ROLLUP_PENDING, tolerance, "Log and counter agree, but the rollups bill "
                    + Math.abs(c.rollupBehindSeconds()) + " s " + (c.rollupBehindSeconds() > 0 ? "less" : "more")
                    + " than the log said when they were last computed: a recompute is pending (a fact arrived since, or they were"
                    + " never computed), not a billing error; the next recompute corrects open hours, or records an adjustment for"
                    + " closed ones." + repeats);
        }
        if (c.duplicateDeliveries() > 0) {
            return new ReconciliationVerdict(ReconciliationCause.DUPLICATES_IGNORED, tolerance, "Log, counter and rollups agree." + repeats);
        }
        return new ReconciliationVerdict(ReconciliationCause.NONE, tolerance, "Log, counter and rollups agree.");
    }
}
