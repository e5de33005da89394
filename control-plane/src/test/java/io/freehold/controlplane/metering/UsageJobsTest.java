package io.freehold.controlplane.metering;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

import io.freehold.controlplane.metering.LifecycleFact.Shape;
import io.freehold.controlplane.testing.ApiTest;
import org.junit.jupiter.api.Test;
import org.quartz.CronTrigger;
import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.quartz.SchedulerMetaData;
import org.quartz.TriggerKey;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.quartz.LocalDataSourceJobStore;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Rollups happen by themselves: a recorded fact queues its instance and the worker's pass writes its hours; the
 * sweep queues exactly the instances whose hours are not settled; Quartz runs clustered on the JDBC job store.
 */
class UsageJobsTest extends ApiTest {

    private static final Shape SMALL = new Shape(2, 4096, 20);

    @Autowired
    private LifecycleLog log;
    @Autowired
    private UsageRecomputePass pass;
    @Autowired
    private UsageSweep sweep;
    @Autowired
    private Scheduler scheduler;
    @Autowired
    private JdbcClient jdbc;
    @Autowired
    private PlatformTransactionManager transactions;
    @Autowired
    private Clock clock;

    private final String tenant = "t-" + UUID.randomUUID();
    private final String host = "h-" + UUID.randomUUID();
    private final String incarnation = UUID.randomUUID().toString();

    @Test
    void aRecordedFactQueuesItsInstanceAndTheWorkerWritesItsHours() {
        String instance = "i-" + UUID.randomUUID();
        Instant lastHour = clock.instant().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(1));
        Instant started = lastHour.plusSeconds(600);
        fact(instance, 1, LifecycleEventKind.STARTED, started, started);

        assertThat(queued()).as("queued in the fact's own transaction").contains(instance);
        // Tests share one database and run no background worker: drop the keys other tests' facts queued (months
        // back, so recomputing them as of now would write thousands of hours) so this pass works on ours.
        jdbc.sql("delete from work_queue where kind = :kind and key <> :instance")
                .param("kind", UsageRecomputePass.QUEUE_KIND).param("instance", instance).update();
        while (pass.runOnce() > 0) {
            // drain
        }

        assertThat(queued()).as("completed").doesNotContain(instance);
        assertThat(quantity(instance, "instance.seconds:2vcpu-4096mib-20gib", lastHour)).isEqualTo(3000L);
        assertThat(quantity(instance, "vcpu.seconds", lastHour)).isEqualTo(6000L);
        assertThat(quantity(instance, "disk.gib.seconds", lastHour)).isEqualTo(3000L * 20);
    }

    @Test
    void anInstanceThatFailsIsRetriedAloneWhileTheRestOfItsBatchCommits() {
        String good = "i-" + UUID.randomUUID();
        String poisoned = "i-" + UUID.randomUUID();
        Instant lastHour = clock.instant().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(1));
        fact(good, 1, LifecycleEventKind.STARTED, lastHour, lastHour);
        // A log the integrator refuses (the API records only deletes); the database's checks let it in.
        jdbc.sql("""
                        insert into lifecycle_event (instance_id, tenant_id, source, event, occurred_at, recorded_at)
                        values (:instance, :tenant, 'control-plane', 'started', :at, :at)
                        """)
                .param("instance", poisoned).param("tenant", tenant).param("at", OffsetDateTime.ofInstant(lastHour, java.time.ZoneOffset.UTC))
                .update();
        jdbc.sql("delete from work_queue where kind = :kind").param("kind", UsageRecomputePass.QUEUE_KIND).update();
        // Due a minute ago by the pass's clock, whatever the database's clock says.
        jdbc.sql("insert into work_queue (kind, key, not_before, enqueued_at) values (:kind, :a, :due, :due), (:kind, :b, :due, :due)")
                .param("kind", UsageRecomputePass.QUEUE_KIND).param("a", good).param("b", poisoned)
                .param("due", OffsetDateTime.ofInstant(clock.instant().minusSeconds(60), java.time.ZoneOffset.UTC)).update();

        assertThat(pass.runOnce()).isEqualTo(2);

        assertThat(queued()).as("the good one completed, the poisoned one kept").containsExactly(poisoned);
        assertThat(jdbc.sql("select attempts from work_queue where kind = :kind and key = :key")
                .param("kind", UsageRecomputePass.QUEUE_KIND).param("key", poisoned).query(Integer.class).single()).isEqualTo(1);
        assertThat(quantity(good, "instance.seconds:2vcpu-4096mib-20gib", lastHour)).isEqualTo(3600L);
        jdbc.sql("delete from work_queue where kind = :kind").param("kind", UsageRecomputePass.QUEUE_KIND).update();
    }

    @Test
    void theSweepQueuesTheInstancesWhoseHoursAreNotSettled() {
        Instant now = clock.instant();
        String running = "i-" + UUID.randomUUID();
        String stopped = "i-" + UUID.randomUUID();
        String deletedLongAgo = "i-" + UUID.randomUUID();
        String deletedJustNow = "i-" + UUID.randomUUID();
        Instant threeHoursAgo = now.minus(Duration.ofHours(3)).truncatedTo(ChronoUnit.SECONDS);
        fact(running, 1, LifecycleEventKind.STARTED, threeHoursAgo, threeHoursAgo);
        fact(stopped, 2, LifecycleEventKind.PROVISIONED, threeHoursAgo, threeHoursAgo);
        fact(stopped, 3, LifecycleEventKind.STOPPED, threeHoursAgo.plusSeconds(60), threeHoursAgo.plusSeconds(60));
        fact(deletedLongAgo, 4, LifecycleEventKind.STARTED, threeHoursAgo, threeHoursAgo);
        fact(deletedLongAgo, 5, LifecycleEventKind.DELETED, threeHoursAgo.plusSeconds(60), threeHoursAgo.plusSeconds(60));
        fact(deletedJustNow, 6, LifecycleEventKind.STARTED, threeHoursAgo, threeHoursAgo);
        fact(deletedJustNow, 7, LifecycleEventKind.DELETED, now.truncatedTo(ChronoUnit.SECONDS), now);
        List<String> ours = List.of(running, stopped, deletedLongAgo, deletedJustNow);
        jdbc.sql("delete from work_queue where kind = :kind and key in (:keys)")
                .param("kind", UsageRecomputePass.QUEUE_KIND).param("keys", ours).update();

        new UsageSweepJob(sweep).execute(null);

        assertThat(queued()).as("running, stopped (its disk counts), deleted within the hour")
                .contains(running, stopped, deletedJustNow)
                .doesNotContain(deletedLongAgo);
        assertThat(sweep.enqueueUnsettled()).as("keys already queued are not queued again").isZero();
    }

    @Test
    void quartzRunsClusteredOnTheJdbcJobStore() throws Exception {
        SchedulerMetaData meta = scheduler.getMetaData();

        assertThat(scheduler.isStarted()).isTrue();
        assertThat(meta.isJobStoreClustered()).isTrue();
        assertThat(meta.isJobStoreSupportsPersistence()).isTrue();
        assertThat(meta.getJobStoreClass()).isEqualTo(LocalDataSourceJobStore.class);
        CronTrigger trigger = (CronTrigger) scheduler.getTrigger(TriggerKey.triggerKey(MeteringJobs.SWEEP, MeteringJobs.GROUP));
        assertThat(trigger.getMisfireInstruction()).isEqualTo(CronTrigger.MISFIRE_INSTRUCTION_DO_NOTHING);
        assertThat(jdbc.sql("select count(*) from qrtz_triggers where sched_name = :scheduler and trigger_name = :name")
                .param("scheduler", scheduler.getSchedulerName()).param("name", MeteringJobs.SWEEP).query(Long.class).single())
                .as("stored in PostgreSQL").isEqualTo(1L);
    }

    @Test
    void quartzFiresTheSweepJobWithItsDependencies() throws Exception {
        String running = "i-" + UUID.randomUUID();
        Instant anHourAgo = clock.instant().minus(Duration.ofHours(1)).truncatedTo(ChronoUnit.SECONDS);
        fact(running, 1, LifecycleEventKind.STARTED, anHourAgo, anHourAgo);
        jdbc.sql("delete from work_queue where kind = :kind and key = :key")
                .param("kind", UsageRecomputePass.QUEUE_KIND).param("key", running).update();

        scheduler.triggerJob(JobKey.jobKey(MeteringJobs.SWEEP, MeteringJobs.GROUP));

        Instant deadline = Instant.now().plusSeconds(20);
        while (!queued().contains(running) && Instant.now().isBefore(deadline)) {
            Thread.sleep(100);
        }
        assertThat(queued()).as("the job ran on a Quartz thread and queued the running instance").contains(running);
    }

    @Test
    void aStopDatedAheadOfTheClockIsCountedToItsSecondOnceThatSecondHasCome() throws InterruptedException {
        String instance = "i-" + UUID.randomUUID();
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        Instant started = now.minusSeconds(10);
        Instant stopped = now.plusSeconds(3);
        fact(instance, 1, LifecycleEventKind.STARTED, started, now);
        fact(instance, 2, LifecycleEventKind.STOPPED, stopped, now);
        jdbc.sql("delete from work_queue where kind = :kind and key <> :instance")
                .param("kind", UsageRecomputePass.QUEUE_KIND).param("instance", instance).update();

        pass.runOnce();
        assertThat(jdbc.sql("select not_before from work_queue where kind = :kind and key = :instance")
                .param("kind", UsageRecomputePass.QUEUE_KIND).param("instance", instance).query(OffsetDateTime.class).single().toInstant())
                .as("due again at the stop's second").isEqualTo(stopped);
        assertThat(runningSeconds(instance)).as("so far, as of the pass's clock").isLessThan(13L);

        Thread.sleep(Math.max(0, Duration.between(clock.instant(), stopped).toMillis() + 100));
        pass.runOnce();
        assertThat(runningSeconds(instance)).as("from the start to the stop, whole").isEqualTo(13L);
        assertThat(queued()).doesNotContain(instance);
    }

    private void fact(String instance, long seq, LifecycleEventKind event, Instant at, Instant recordedAt) {
        new TransactionTemplate(transactions).executeWithoutResult(tx -> log.observed(host, incarnation, seq, at, Duration.ZERO,
                new LifecycleFact(instance, tenant, event, at, 1, SMALL), recordedAt));
    }

    private List<String> queued() {
        return jdbc.sql("select key from work_queue where kind = :kind").param("kind", UsageRecomputePass.QUEUE_KIND)
                .query(String.class).list();
    }

    private long runningSeconds(String instance) {
        return jdbc.sql("select coalesce(sum(quantity), 0) from usage_hourly where resource_id = :r and meter like 'instance.seconds:%'")
                .param("r", instance).query(Long.class).single();
    }

    private Long quantity(String instance, String meter, Instant hour) {
        return jdbc.sql("select quantity from usage_hourly where resource_id = :r and meter = :m and hour = :h")
                .param("r", instance).param("m", meter).param("h", OffsetDateTime.ofInstant(hour, java.time.ZoneOffset.UTC))
                .query(Long.class).optional().orElse(null);
    }
}
