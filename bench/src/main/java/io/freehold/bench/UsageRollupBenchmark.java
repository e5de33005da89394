package io.freehold.bench;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

import com.zaxxer.hikari.HikariDataSource;
import io.freehold.controlplane.FreeholdApplication;
import io.freehold.controlplane.metering.UsageRecomputePass;
import io.freehold.controlplane.metering.UsageSweep;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Issue 7's benchmark: hourly rollups from an empty {@code usage_hourly} to settled, over a lifecycle log of N
 * instances × D days with about four facts per instance-day ({@link SyntheticUsageLog}), through the production path —
 * the recompute pass the worker runs ({@link UsageRecomputePass#runOnce}), on W threads as W replicas' workers would,
 * each draining the {@code usage} keys until none is left. The control plane runs in this JVM on its all-in-one
 * embedded PostgreSQL at production durability (fsync and synchronous_commit on, read back and printed).
 *
 * <p>Loading the log is not timed: COPY into {@code lifecycle_event} and its summary {@code usage_resource}, one key
 * per instance queued as the facts would have queued it, then VACUUM ANALYZE and a CHECKPOINT. Timed: the drain. Then a
 * sweep (every unsettled instance queued again) and its drain, the cost of keeping settled rollups current. Checks:
 * no key left, every instance has hours, and for a sample of instances the stored hours before the log's end sum to
 * what the pure integrator computes and to what the generator itself worked out. Prints the figures and a final
 * {@code RESULT} line for scripts; {@code --smoke} is a run of a few seconds.
 *
 * <p>Run it with {@code scripts/bench-usage.sh [--instances=N] [--days=D] …}; see docs/performance.md.
 */
public final class UsageRollupBenchmark {

    private static final Map<String, String> DEFAULTS = Map.of("instances", "100000", "days", "30", "workers", "2", "batch-size", "16",
            "seed", "1", "samples", "1000", "sweep", "true", "floor", "false");
    private static final Map<String, String> SMOKE = Map.of("instances", "300", "days", "7", "samples", "100");

    private UsageRollupBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        boolean smoke = Arrays.asList(args).contains("--smoke");
        Map<String, String> defaults = new HashMap<>(DEFAULTS);
        if (smoke) {
            defaults.putAll(SMOKE);
        }
        BenchArgs options = BenchArgs.parse(Stream.of(args).filter(arg -> !arg.equals("--smoke")).toArray(String[]::new), defaults);
        System.exit(run(options, System.out) ? 0 : 1);
    }

    static boolean run(BenchArgs options, PrintStream out) throws Exception {
        try (WorkDirectory work = WorkDirectory.of(null, "freehold-usage-bench");
             ConfigurableApplicationContext controlPlane = controlPlane(work.path(), options)) {
            Path home = work.path();
            JdbcClient jdbc = controlPlane.getBean(JdbcClient.class);
            out.printf("freehold usage rollup benchmark, %s%nmachine: %s; load average %s%n", Instant.now().truncatedTo(ChronoUnit.SECONDS),
                    Machine.describe(), Machine.loadAverage());
            Map<String, String> settings = EmbeddedDatabase.settings(jdbc);
            out.printf("PostgreSQL (embedded, as read back from the server): %s%n", settings);

            Instant end = Instant.now().truncatedTo(ChronoUnit.HOURS);
            SyntheticUsageLog log = new SyntheticUsageLog(options.integer("instances"), options.integer("days"), end, options.integer("seed"));
            long loadStart = System.nanoTime();
            UsageLogCopy.load(controlPlane.getBean(HikariDataSource.class), jdbc, log);
            out.printf("loaded (not timed) %,d facts of %,d instances of %,d tenants over %d days ending %s in %.1f s: %.2f facts per instance-day; "
                            + "database %s%n", log.events(), log.instanceCount(), log.tenantCount(), options.integer("days"), end,
                    seconds(loadStart), log.events() / (double) log.instanceCount() / options.integer("days"),
                    EmbeddedDatabase.size(jdbc, "pg_database_size(current_database())"));

            UsageRecomputePass pass = controlPlane.getBean(UsageRecomputePass.class);
            RecomputeDrain full = RecomputeDrain.run(pass, options.integer("workers"), EmbeddedDatabase.postmaster(home), out);
            long hours = jdbc.sql("select count(*) from usage_hourly").query(Long.class).single();
            out.printf("== rollups from empty to settled: %d workers, batch %d ==%n", options.integer("workers"), options.integer("batch-size"));
            out.printf("wall %.1f s: %,.0f facts/s, %,.0f instances/s, %,.0f hour rows written/s (%,d rows)%n", full.seconds(),
                    log.events() / full.seconds(), log.instanceCount() / full.seconds(), hours / full.seconds(), hours);
            out.printf("CPU cores used (of %d): control plane JVM %.2f, PostgreSQL %.2f, other work %.2f; per hour row: JVM %.1f µs, PostgreSQL %.1f µs%n",
                    Runtime.getRuntime().availableProcessors(), full.jvmCpu() / full.seconds(), full.postgresCpu() / full.seconds(),
                    full.otherCpu() / full.seconds(), full.jvmCpu() / hours * 1e6, full.postgresCpu() / hours * 1e6);
            out.printf("database %s, usage_hourly with indexes %s%n", EmbeddedDatabase.size(jdbc, "pg_database_size(current_database())"),
                    EmbeddedDatabase.size(jdbc, "pg_total_relation_size('usage_hourly')"));

            if (Boolean.parseBoolean(options.text("floor"))) {
                floor(jdbc, EmbeddedDatabase.postmaster(home), hours, out);
            }
            if (Boolean.parseBoolean(options.text("sweep"))) {
                long sweepStart = System.nanoTime();
                int queued = controlPlane.getBean(UsageSweep.class).enqueueUnsettled();
                double sweepSeconds = seconds(sweepStart);
                RecomputeDrain again = RecomputeDrain.run(pass, options.integer("workers"), EmbeddedDatabase.postmaster(home), out);
                out.printf("== a sweep over settled rollups ==%nsweep queued %,d instances in %.2f s; their recompute took %.1f s (%,.0f instances/s); "
                                + "CPU: JVM %.2f, PostgreSQL %.2f cores%n", queued, sweepSeconds, again.seconds(), queued / again.seconds(),
                        again.jvmCpu() / again.seconds(), again.postgresCpu() / again.seconds());
            }

            UsageCheck.Outcome check = UsageCheck.sample(jdbc, log, end, options.integer("samples"), out);
            long left = jdbc.sql("select count(*) from work_queue where kind = :kind").param("kind", UsageRecomputePass.QUEUE_KIND)
                    .query(Long.class).single();
            long withoutHours = jdbc.sql("""
                    select count(*) from usage_resource r where not exists (select 1 from usage_hourly h where h.resource_id = r.resource_id)
                    """).query(Long.class).single();
            out.printf("keys left: %d; instances without hours: %d; load average at the end %s%n", left, withoutHours, Machine.loadAverage());
            boolean ok = check.mismatches() == 0 && left == 0 && withoutHours == 0;
            out.printf("RESULT events=%d instances=%d hours=%d seconds=%.1f eventsPerSecond=%.0f instancesPerSecond=%.0f hoursPerSecond=%.0f "
                            + "mismatches=%d checked=%d keysLeft=%d instancesWithoutHours=%d fsync=%s synchronous_commit=%s%n",
                    log.events(), log.instanceCount(), hours, full.seconds(), log.events() / full.seconds(), log.instanceCount() / full.seconds(),
                    hours / full.seconds(), check.mismatches(), check.checked(), left, withoutHours, settings.get("fsync"),
                    settings.get("synchronous_commit"));
            return ok;
        }
    }

    /**
     * What PostgreSQL alone needs to write the same rows with the same indexes: one INSERT … SELECT of every settled row
     * into an empty copy of usage_hourly, one transaction, no Java, no reads of the log, no comparisons. The copy is
     * dropped afterwards.
     */
    private static void floor(JdbcClient jdbc, ProcessHandle postgres, long hours, PrintStream out) {
        jdbc.sql("create table usage_hourly_floor (like usage_hourly including defaults including constraints including indexes)").update();
        double postgresBefore = CpuTime.secondsOfTree(postgres);
        long start = System.nanoTime();
        jdbc.sql("insert into usage_hourly_floor select * from usage_hourly").update();
        double wall = seconds(start);
        double postgresCpu = CpuTime.secondsOfTree(postgres) - postgresBefore;
        jdbc.sql("drop table usage_hourly_floor").update();
        out.printf("== floor: the same %,d rows written by PostgreSQL alone (INSERT ... SELECT into a copy with the same indexes) ==%n"
                + "wall %.1f s: %,.0f rows/s; PostgreSQL CPU %.1f s, %.1f µs per row%n", hours, wall, hours / wall, postgresCpu, postgresCpu / hours * 1e6);
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    /**
     * The control plane with its embedded PostgreSQL, without agent endpoint, local agent, scheduling, background
     * usage worker or Quartz: the benchmark drives the recompute passes itself, and a sweep firing in the middle would
     * queue again what was just settled.
     */
    private static ConfigurableApplicationContext controlPlane(Path home, BenchArgs options) {
        return new SpringApplicationBuilder(FreeholdApplication.class).run("--freehold.home=" + home, "--server.port=0",
                "--server.address=127.0.0.1", "--freehold.agentlink.enabled=false", "--freehold.local-agent.enabled=false",
                "--freehold.compute.scheduling.enabled=false", "--freehold.metering.recompute.enabled=false",
                "--freehold.metering.recompute.batch-size=" + options.integer("batch-size"), "--spring.quartz.auto-startup=false",
                "--spring.main.banner-mode=off", "--logging.level.root=WARN");
    }
}
