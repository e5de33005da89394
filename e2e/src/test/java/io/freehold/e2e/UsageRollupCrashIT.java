package io.freehold.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.freehold.e2e.LifecycleFacts.Fact;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The control plane killed with SIGKILL in the middle of a rollup recompute and started again on the same database
 * (issue 7, "Correctness"): nothing of the killed recompute is visible, the next start writes exactly the hours the
 * facts integrate to, and an on-demand recompute afterwards writes nothing.
 *
 * <p>The facts are inserted by SQL ({@link LifecycleFacts}), not reported by an agent: they lie hours in the past
 * (across a day and a month boundary), which no live agent can report. They go in as one transaction, and that
 * matters: a worker that claimed an instance after its first fact would park at the fault point holding the
 * instance's key, and the next fact's enqueue would wait for it for good. The expected hours are worked out by hand
 * below.
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class UsageRollupCrashIT {

    /** The worker runs a pass every 500 ms (below); a loaded machine may take far longer to get to it. */
    private static final Duration ROLLUP_LIMIT = Duration.ofSeconds(60);

    /** Runs across 11:00 and 12:00 on 1 March 2026, resized while running, stopped, then deleted. */
    private static final String RESIZED = "i-01jh8p2q3r4s5t6v7w8x9y0z1a";
    /** Runs from 28 February 23:30 into 1 March: a day and a month boundary. */
    private static final String OVERNIGHT = "i-01jh8p2q3r4s5t6v7w8x9y0z1b";

    private static final List<Fact> FACTS = List.of(
            new Fact(OVERNIGHT, 1, "provisioned", "2026-02-28T23:29:00Z", 1, 512, 10),
            new Fact(OVERNIGHT, 2, "started", "2026-02-28T23:30:00Z", 1, 512, 10),
            new Fact(OVERNIGHT, 3, "stopped", "2026-03-01T01:15:00Z", 1, 512, 10),
            new Fact(OVERNIGHT, 4, "deleted", "2026-03-01T01:20:00Z", 1, 512, 10),
            new Fact(RESIZED, 5, "provisioned", "2026-03-01T10:15:00Z", 2, 4096, 20),
            new Fact(RESIZED, 6, "started", "2026-03-01T10:20:00Z", 2, 4096, 20),
            new Fact(RESIZED, 7, "resized", "2026-03-01T11:40:00Z", 4, 8192, 20),
            new Fact(RESIZED, 8, "stopped", "2026-03-01T12:10:30Z", 4, 8192, 20),
            new Fact(RESIZED, 9, "deleted", "2026-03-01T13:05:00Z", 4, 8192, 20));

    /**
     * Instance, hour (UTC) and meter: quantity. Instance and vCPU seconds count while running, memory in MiB·s while
     * running, disk GiB·s from the first fact to the delete, running or not; hours with nothing are not written.
     */
    private static final List<String> EXPECTED_HOURS = List.of(
            // 23:30–24:00 running (1800 s); disk from 23:29 (1860 s).
            OVERNIGHT + " 2026-02-28T23 instance.seconds:1vcpu-512mib-10gib 1800",
            OVERNIGHT + " 2026-02-28T23 vcpu.seconds 1800",
            OVERNIGHT + " 2026-02-28T23 memory.gib.seconds " + 1800 * 512,
            OVERNIGHT + " 2026-02-28T23 disk.gib.seconds " + 1860 * 10,
            OVERNIGHT + " 2026-03-01T00 instance.seconds:1vcpu-512mib-10gib 3600",
            OVERNIGHT + " 2026-03-01T00 vcpu.seconds 3600",
            OVERNIGHT + " 2026-03-01T00 memory.gib.seconds " + 3600 * 512,
            OVERNIGHT + " 2026-03-01T00 disk.gib.seconds " + 3600 * 10,
            // Running until the stop at 01:15 (900 s); the disk until the delete at 01:20 (1200 s).
            OVERNIGHT + " 2026-03-01T01 instance.seconds:1vcpu-512mib-10gib 900",
            OVERNIGHT + " 2026-03-01T01 vcpu.seconds 900",
            OVERNIGHT + " 2026-03-01T01 memory.gib.seconds " + 900 * 512,
            OVERNIGHT + " 2026-03-01T01 disk.gib.seconds " + 1200 * 10,
            // 10:20–11:00 running small (2400 s); disk from 10:15 (2700 s).
            RESIZED + " 2026-03-01T10 instance.seconds:2vcpu-4096mib-20gib 2400",
            RESIZED + " 2026-03-01T10 vcpu.seconds " + 2400 * 2,
            RESIZED + " 2026-03-01T10 memory.gib.seconds " + 2400 * 4096,
            RESIZED + " 2026-03-01T10 disk.gib.seconds " + 2700 * 20,
            // 11:00–11:40 small (2400 s), 11:40–12:00 large (1200 s).
            RESIZED + " 2026-03-01T11 instance.seconds:2vcpu-4096mib-20gib 2400",
            RESIZED + " 2026-03-01T11 instance.seconds:4vcpu-8192mib-20gib 1200",
            RESIZED + " 2026-03-01T11 vcpu.seconds " + (2400 * 2 + 1200 * 4),
            RESIZED + " 2026-03-01T11 memory.gib.seconds " + (2400 * 4096 + 1200 * 8192),
            RESIZED + " 2026-03-01T11 disk.gib.seconds " + 3600 * 20,
            // 12:00–12:10:30 large (630 s), then stopped; the disk goes on to the delete at 13:05.
            RESIZED + " 2026-03-01T12 instance.seconds:4vcpu-8192mib-20gib 630",
            RESIZED + " 2026-03-01T12 vcpu.seconds " + 630 * 4,
            RESIZED + " 2026-03-01T12 memory.gib.seconds " + 630 * 8192,
            RESIZED + " 2026-03-01T12 disk.gib.seconds " + 3600 * 20,
            RESIZED + " 2026-03-01T13 disk.gib.seconds " + 300 * 20);

    private static final String HOURS = """
            select resource_id || ' ' || to_char(hour at time zone 'UTC', 'YYYY-MM-DD"T"HH24') || ' ' || meter || ' ' || quantity
              from usage_hourly order by 1""";

    @RegisterExtension
    final TestResources resources = new TestResources();

    @Test
    void aRecomputeKilledAfterWritingAnHourLeavesNothingAndTheNextStartWritesExactlyTheHours() throws Exception {
        ControlPlaneInstallation installation = ControlPlaneInstallation.create(resources, Map.of(
                "freehold.metering.recompute.interval", "500ms"));
        PostgresDatabase database = installation.database();
        ControlPlane armed = installation.start(Map.of("FREEHOLD_FAULT_POINT", "during-rollup"));
        OpsApi ops = new OpsApi(armed.restBase(), armed.adminToken());
        String tenant = ops.createTenant("metered");

        LifecycleFacts.record(database, tenant, FACTS);
        armed.process().awaitOutput("freehold fault point reached: during-rollup", ROLLUP_LIMIT);
        assertThat(rollupLocksHeld(database)).as("the per-instance rollup locks of the batch's two instances, held by the parked transaction")
                .isEqualTo(2);
        assertThat(database.writersOf("usage_hourly")).as("a row lock on usage_hourly: the parked transaction has written an hour")
                .isEqualTo(1);
        armed.process().kill();
        Poll.until("PostgreSQL ends the killed replica's transaction", System.nanoTime(), ROLLUP_LIMIT,
                () -> rollupLocksHeld(database), held -> held == 0);

        assertThat(database.strings(HOURS)).as("hours after the kill: nothing of the recompute").isEmpty();
        assertThat(database.count("usage_adjustment")).as("adjustments after the kill").isZero();
        assertThat(database.strings("select key from work_queue where kind = 'usage' order by key"))
                .as("both instances still queued: the claim died with the transaction").containsExactly(RESIZED, OVERNIGHT);

        ControlPlane restarted = installation.start(Map.of());
        long restartedAt = System.nanoTime();
        Poll.Outcome<List<String>> rolledUp = Poll.until("the restarted replica rolls the facts up", restartedAt, ROLLUP_LIMIT,
                () -> database.strings(HOURS), hours -> hours.size() >= EXPECTED_HOURS.size());
        System.out.printf("[e2e] rollups written %s after the restarted replica was healthy%n", rolledUp.seconds());
        assertThat(rolledUp.value()).as("hours written after the restart").containsExactlyInAnyOrderElementsOf(EXPECTED_HOURS);
        assertThat(database.value("select count(*) from usage_hourly where tenant_id <> ?", tenant)).as("hours of another tenant")
                .isEqualTo(0L);
        Poll.until("the usage keys are done", System.nanoTime(), ROLLUP_LIMIT,
                () -> database.strings("select key from work_queue where kind = 'usage'"), List::isEmpty);

        List<String> written = database.strings("select resource_id || meter || hour || quantity || computed_at from usage_hourly order by 1");
        String metricsBefore = OpsApi.metrics(restarted.restBase());
        assertThat(sample(metricsBefore, "freehold_metering_rollup_hours_written_total")).as("hours the restarted replica wrote")
                .isEqualTo(EXPECTED_HOURS.size());
        assertThat(ops.recomputeUsage(Map.of())).as("instances queued on demand: both, deleted within the hour").isEqualTo(2);
        double recomputed = sample(metricsBefore, "freehold_metering_rollup_recompute_seconds_count{outcome=\"recomputed\"}");
        Poll.until("the on-demand recomputes ran", System.nanoTime(), ROLLUP_LIMIT,
                () -> sample(OpsApi.metrics(restarted.restBase()), "freehold_metering_rollup_recompute_seconds_count{outcome=\"recomputed\"}"),
                count -> count >= recomputed + 2);
        assertThat(database.strings("select resource_id || meter || hour || quantity || computed_at from usage_hourly order by 1"))
                .as("hours after recomputing again, computed_at included").isEqualTo(written);
        assertThat(sample(OpsApi.metrics(restarted.restBase()), "freehold_metering_rollup_hours_written_total"))
                .as("hours written by recomputing again").isEqualTo(EXPECTED_HOURS.size());
    }

    /**
     * Rollup locks held in this test's database: {@code pg_advisory_xact_lock(hashtext('usage_rollup'), key)}, one per
     * instance being recomputed. The first key matters: month close takes its per-tenant lock in the same two-key form.
     */
    private static long rollupLocksHeld(PostgresDatabase database) throws SQLException {
        return ((Number) database.value("""
                select count(*) from pg_locks
                 where locktype = 'advisory' and objsubid = 2 and classid = cast(hashtext('usage_rollup') as oid) and granted
                   and database = (select oid from pg_database where datname = current_database())""")).longValue();
    }

    /** The value of the sample {@code series} (name and labels as printed) on a Prometheus page; fails when absent. */
    private static double sample(String page, String series) {
        return page.lines().filter(line -> line.startsWith(series + " ")).findFirst()
                .map(line -> Double.parseDouble(line.substring(series.length() + 1).strip()))
                .orElseGet(() -> fail("no sample " + series + " on the metrics page"));
    }
}
