package io.freehold.controlplane.metering;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

import io.freehold.controlplane.metering.LifecycleFact.Shape;
import io.freehold.controlplane.testing.ApiTest;
import io.freehold.controlplane.testing.PrometheusSamples;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * Metering's metrics as Prometheus scrapes them, after a known sequence: facts recorded and repeats refused (a fact
 * whose transaction rolled back counts nothing), the rollup lag while a key waits and once the worker drained it, the
 * recompute and pass timers, the hours written and the adjustments recorded. The application's registry is shared
 * with the other tests of this JVM, so every figure is a difference between two scrapes.
 */
class UsageMetricsTest extends ApiTest {

    private static final Shape SMALL = new Shape(2, 4096, 20);

    @Autowired
    private UsageRecomputeWorker worker;
    @Autowired
    private JdbcClient jdbc;
    @Autowired
    private PlatformTransactionManager transactions;
    @Autowired
    private Clock clock;
    @Autowired
    private Scheduler scheduler;

    private AgentFacts facts;
    private final String tenant = "t-" + UUID.randomUUID();
    private final String instance = "i-" + UUID.randomUUID();

    @BeforeEach
    void reporter(@Autowired LifecycleLog log) {
        facts = new AgentFacts(log, transactions);
    }

    /** A sweep firing mid-test would queue other tests' instances, and the drains below would count their hours. */
    @BeforeEach
    void holdTheSweep() throws SchedulerException {
        scheduler.pauseJob(JobKey.jobKey(MeteringJobs.SWEEP, MeteringJobs.GROUP));
    }

    @AfterEach
    void releaseTheSweep() throws SchedulerException {
        scheduler.resumeJob(JobKey.jobKey(MeteringJobs.SWEEP, MeteringJobs.GROUP));
    }

    @Test
    void eventsLagTimersHoursAndAdjustmentsFollowWhatMeteringDid() {
        Instant hour = clock.instant().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(3));
        // The facts arrive 90 s before the scrape, so their key has been due that long.
        Instant recordedAt = clock.instant().minusSeconds(90).truncatedTo(ChronoUnit.SECONDS);
        // Tests share one database and run no background worker: only this test's key may be due for the lag to be ours.
        jdbc.sql("delete from work_queue where kind = :kind").param("kind", UsageRecomputePass.QUEUE_KIND).update();
        PrometheusSamples before = PrometheusSamples.scrape(api);

        observed(1, LifecycleEventKind.STARTED, hour.plusSeconds(600), recordedAt);
        observed(1, LifecycleEventKind.STARTED, hour.plusSeconds(600), recordedAt);
        observed(2, LifecycleEventKind.STOPPED, hour.plusSeconds(5400), recordedAt);
        facts.reportRolledBack(3, instance, tenant, LifecycleEventKind.RESIZED, hour.plusSeconds(6000), SMALL, recordedAt);
        deletedByApi(hour.plusSeconds(7200), recordedAt);
        deletedByApi(hour.plusSeconds(7200), recordedAt);
        PrometheusSamples waiting = PrometheusSamples.scrape(api);

        assertThat(waiting.value("freehold_metering_rollup_lag_seconds")).as("seconds the key has been due").isBetween(90.0, 150.0);
        assertThat(delta(before, waiting, "freehold_metering_events_recorded_total", "event", "started", "source", "agent")).isEqualTo(1);
        assertThat(delta(before, waiting, "freehold_metering_events_recorded_total", "event", "stopped", "source", "agent")).isEqualTo(1);
        assertThat(delta(before, waiting, "freehold_metering_events_recorded_total", "event", "resized", "source", "agent"))
                .as("rolled back").isZero();
        assertThat(delta(before, waiting, "freehold_metering_events_recorded_total", "event", "deleted", "source", "control-plane"))
                .isEqualTo(1);
        assertThat(delta(before, waiting, "freehold_metering_events_repeated_total", "event", "started", "source", "agent")).isEqualTo(1);
        assertThat(delta(before, waiting, "freehold_metering_events_repeated_total", "event", "deleted", "source", "control-plane"))
                .isEqualTo(1);

        worker.drain();
        PrometheusSamples drained = PrometheusSamples.scrape(api);

        assertThat(drained.value("freehold_metering_rollup_lag_seconds")).as("nothing due").isZero();
        // Instance, vCPU, memory and disk seconds, each in the hour of the start and the next.
        assertThat(delta(before, drained, "freehold_metering_rollup_hours_written_total")).isEqualTo(8);
        assertThat(delta(before, drained, "freehold_metering_rollup_adjustments_total")).isZero();
        assertThat(delta(before, drained, "freehold_metering_rollup_recompute_seconds_count", "outcome", "recomputed")).isEqualTo(1);
        assertThat(delta(before, drained, "freehold_metering_rollup_recompute_seconds_count", "outcome", "failed")).isZero();
        assertThat(delta(before, drained, "freehold_metering_rollup_recompute_seconds_sum", "outcome", "recomputed")).isPositive();
        assertThat(delta(before, drained, "freehold_metering_rollup_pass_seconds_count")).as("one pass: less than a batch").isEqualTo(1);

        // Billing closes the first hour; a late stop then shortens it (an adjustment for each running meter) and
        // empties the second hour's running meters (written again, as zero).
        jdbc.sql("update usage_hourly set closed = true, closed_at = now() where resource_id = :r and hour = :h")
                .param("r", instance).param("h", hour.atOffset(ZoneOffset.UTC)).update();
        observed(4, LifecycleEventKind.STOPPED, hour.plusSeconds(1800), clock.instant());
        worker.drain();
        PrometheusSamples late = PrometheusSamples.scrape(api);

        assertThat(delta(drained, late, "freehold_metering_rollup_adjustments_total")).isEqualTo(3);
        assertThat(delta(drained, late, "freehold_metering_rollup_hours_written_total")).isEqualTo(3);
        assertThat(delta(drained, late, "freehold_metering_rollup_recompute_seconds_count", "outcome", "recomputed")).isEqualTo(1);
        assertThat(late.value("freehold_metering_rollup_lag_seconds")).isZero();
    }

    private static double delta(PrometheusSamples from, PrometheusSamples to, String name, String... labels) {
        double difference = to.value(name, labels) - from.value(name, labels);
        assertThat(difference).as("%s %s went back", name, List.of(labels)).isGreaterThanOrEqualTo(0);
        return difference;
    }

    private void observed(long seq, LifecycleEventKind event, Instant at, Instant recordedAt) {
        facts.report(seq, instance, tenant, event, at, SMALL, recordedAt);
    }

    private void deletedByApi(Instant at, Instant recordedAt) {
        facts.deleteByApi(instance, tenant, at, SMALL, recordedAt);
    }
}
