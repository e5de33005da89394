package io.freehold.controlplane.metering.decision;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

import io.freehold.controlplane.metering.LifecycleEventKind;
import io.freehold.controlplane.metering.LifecycleFact.Shape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The reconciliation's verdict for each kind of comparison, and the log's running seconds it compares. */
class ReconciliationTest {

    private static final Duration STALE_AFTER = Duration.ofSeconds(15);
    private static final Duration FRESH = Duration.ofSeconds(3);

    /**
     * One comparison and its expected cause.
     *
     * @param logged    the log's running seconds as of the reading
     * @param intervals its running intervals (tolerance = intervals + 2)
     * @param agent     the counters' sum; null without one
     * @param age       the reading's age; null without one
     */
    record Case(String name, long logged, int intervals, Long agent, Duration age, boolean deleted, long rollupBehind, long repeats,
                long resets, ReconciliationCause expected) {

        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case("all agree", 600, 1, 600L, FRESH, false, 0, 0, 0, ReconciliationCause.NONE),
                new Case("log ahead by the tolerance: resolution", 603, 1, 600L, FRESH, false, 0, 0, 0, ReconciliationCause.NONE),
                new Case("log behind by the tolerance: resolution", 597, 1, 600L, FRESH, false, 0, 0, 0, ReconciliationCause.NONE),
                new Case("each interval adds a second of tolerance", 1605, 3, 1600L, FRESH, false, 0, 0, 0, ReconciliationCause.NONE),
                new Case("log ahead beyond the tolerance: a stop was lost", 604, 1, 600L, FRESH, false, 0, 0, 0,
                        ReconciliationCause.MISSING_STOP),
                new Case("log behind beyond the tolerance: a start was lost", 0, 0, 300L, FRESH, false, 0, 0, 0,
                        ReconciliationCause.MISSING_START),
                new Case("log ahead of a counter that restarted", 900, 1, 600L, FRESH, false, 0, 0, 1, ReconciliationCause.COUNTER_RESET),
                new Case("a restarted counter that still agrees", 600, 1, 600L, FRESH, false, 0, 0, 1, ReconciliationCause.NONE),
                new Case("a restarted counter ahead of the log: still a lost start", 300, 1, 600L, FRESH, false, 0, 0, 1,
                        ReconciliationCause.MISSING_START),
                new Case("no counter at all", 600, 1, null, null, false, 0, 0, 0, ReconciliationCause.COUNTER_STALE),
                new Case("reading older than a host may stay silent", 600, 1, 600L, Duration.ofSeconds(16), false, 0, 0, 0,
                        ReconciliationCause.COUNTER_STALE),
                new Case("reading exactly as old as a host may stay silent", 600, 1, 600L, STALE_AFTER, false, 0, 0, 0,
                        ReconciliationCause.NONE),
                new Case("an old reading of a deleted instance is its last", 600, 1, 600L, Duration.ofDays(3), true, 0, 0, 0,
                        ReconciliationCause.NONE),
                new Case("a difference outranks a stale reading", 900, 1, 600L, Duration.ofDays(3), false, 0, 0, 0,
                        ReconciliationCause.MISSING_STOP),
                new Case("rollups bill less than the log said", 600, 1, 600L, FRESH, false, 300, 0, 0, ReconciliationCause.ROLLUP_PENDING),
                new Case("rollups bill more than the log said (a late stop)", 600, 1, 600L, FRESH, false, -300, 0, 0,
                        ReconciliationCause.ROLLUP_PENDING),
                new Case("rollups a second behind: stamped in the next second", 600, 1, 600L, FRESH, false, 1, 0, 0, ReconciliationCause.NONE),
                new Case("a lost fact outranks pending rollups", 0, 0, 300L, FRESH, false, 300, 0, 0, ReconciliationCause.MISSING_START),
                new Case("repeats ignored, all else agrees", 600, 1, 600L, FRESH, false, 0, 1, 0, ReconciliationCause.DUPLICATES_IGNORED),
                new Case("repeats beside pending rollups", 600, 1, 600L, FRESH, false, 300, 2, 0, ReconciliationCause.ROLLUP_PENDING));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void judgesTheLikelyCause(Case c) {
        ReconciliationVerdict verdict = Reconciliation.judge(new RunningSecondsComparison(c.logged(), c.intervals(), c.agent(), c.age(),
                c.deleted(), c.rollupBehind(), c.repeats(), c.resets(), STALE_AFTER));

        assertThat(verdict.cause()).isEqualTo(c.expected());
        assertThat(verdict.tolerance()).isEqualTo(c.intervals() + 2L);
        if (c.repeats() > 0) {
            assertThat(verdict.explanation()).as("repeats are said to be unbilled, whatever the cause").contains("ignored and not billed");
        }
    }

    @Test
    void explanationsCarryTheSecondsOfTheDifference() {
        assertThat(Reconciliation.judge(new RunningSecondsComparison(900, 1, 600L, FRESH, false, 0, 0, 0, STALE_AFTER)).explanation())
                .contains("300 s more running time than the host saw", "stopped fact");
        assertThat(Reconciliation.judge(new RunningSecondsComparison(0, 0, 300L, FRESH, false, 0, 0, 0, STALE_AFTER)).explanation())
                .contains("300 s more than the log counts", "started fact", "not billed");
        assertThat(Reconciliation.judge(new RunningSecondsComparison(600, 1, 600L, FRESH, false, 0, 1, 0, STALE_AFTER)).explanation())
                .contains("1 repeated delivery", "was ignored and not billed");
    }

    @Test
    void loggedRunningSecondsFollowTheIntegratorAsOfTheReading() {
        Shape shape = new Shape(2, 4096, 20);
        List<MeteredFact> facts = List.of(
                fact(1, LifecycleEventKind.PROVISIONED, "2026-03-01T10:00:00Z", shape),
                fact(2, LifecycleEventKind.STARTED, "2026-03-01T10:00:10Z", shape),
                fact(3, LifecycleEventKind.STOPPED, "2026-03-01T10:05:10Z", shape),
                fact(3, LifecycleEventKind.STOPPED, "2026-03-01T10:05:10Z", shape),
                fact(4, LifecycleEventKind.STARTED, "2026-03-01T10:10:00Z", shape),
                fact(5, LifecycleEventKind.RESIZED, "2026-03-01T10:12:00Z", new Shape(4, 8192, 20)));

        assertThat(Reconciliation.loggedRunning(facts, Instant.parse("2026-03-01T10:20:00Z")))
                .as("300 s, then 600 s in two shapes; the repeat counts once").isEqualTo(new Reconciliation.LoggedRunning(900, 3));
        assertThat(Reconciliation.loggedRunning(facts, Instant.parse("2026-03-01T10:03:10Z")))
                .as("nothing after the reading").isEqualTo(new Reconciliation.LoggedRunning(180, 1));
        assertThat(Reconciliation.loggedRunning(List.of(), Instant.parse("2026-03-01T10:03:10Z")))
                .isEqualTo(new Reconciliation.LoggedRunning(0, 0));
    }

    @Test
    void rollupsLagOnlyWhileAFactRecordedSinceTheirLastComputeWaits() {
        Shape shape = new Shape(2, 4096, 20);
        Instant computed = Instant.parse("2026-03-01T10:05:00.400Z");
        Instant read = Instant.parse("2026-03-01T10:07:00Z");
        List<MeteredFact> running = List.of(fact(1, LifecycleEventKind.STARTED, "2026-03-01T10:00:00Z", shape));
        assertThat(Reconciliation.rollupBehind(running, 300, computed, Instant.parse("2026-03-01T10:00:01Z"), read))
                .as("no fact since: the open hour grows at the next sweep, which is no lag").isZero();

        List<MeteredFact> stopped = List.of(running.get(0), fact(2, LifecycleEventKind.STOPPED, "2026-03-01T10:06:00Z", shape));
        assertThat(Reconciliation.rollupBehind(stopped, 300, computed, Instant.parse("2026-03-01T10:06:01Z"), read))
                .as("a stop recorded since: the queued recompute will add the minute up to it").isEqualTo(60);

        List<MeteredFact> lateStop = List.of(running.get(0), fact(2, LifecycleEventKind.STOPPED, "2026-03-01T10:02:00Z", shape));
        assertThat(Reconciliation.rollupBehind(lateStop, 300, computed, Instant.parse("2026-03-01T10:05:00.100Z"), read))
                .as("a late stop recorded just before the compute stamped its rows, yet not seen by it").isEqualTo(-180);

        List<MeteredFact> stopAhead = List.of(running.get(0), fact(2, LifecycleEventKind.STOPPED, "2026-03-01T10:05:01Z", shape));
        assertThat(Reconciliation.rollupBehind(stopAhead, 300, computed, Instant.parse("2026-03-01T10:05:00.200Z"), read))
                .as("a stop recorded before the compute, dated after the second it counted up to: the sweep adds that second").isZero();

        List<MeteredFact> resized = List.of(running.get(0), fact(2, LifecycleEventKind.RESIZED, "2026-03-01T10:05:30Z", shape));
        assertThat(Reconciliation.rollupBehind(resized, 300, computed, Instant.parse("2026-03-01T10:05:31Z"),
                Instant.parse("2026-03-01T10:04:58Z")))
                .as("a reading older than the last compute: the seconds between them are no lag").isZero();

        assertThat(Reconciliation.rollupBehind(stopped, 0, null, Instant.parse("2026-03-01T10:06:01Z"), read))
                .as("never computed: all the log says is pending").isEqualTo(360);
    }

    private static MeteredFact fact(long seq, LifecycleEventKind event, String at, Shape shape) {
        return new MeteredFact(MeteredFact.Key.observed("h-1", "inc-1", seq), event, Instant.parse(at), shape);
    }
}
