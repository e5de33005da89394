package io.freehold.bench;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.zaxxer.hikari.HikariDataSource;
import io.freehold.controlplane.FreeholdApplication;
import io.freehold.controlplane.billing.Invoicing;
import io.freehold.controlplane.billing.MonthClose;
import io.freehold.controlplane.billing.decision.BillingPeriod;
import io.freehold.controlplane.metering.UsageRecomputePass;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Issue 8's month close benchmark: {@link MonthClose#closeMonth} of one ended month for T tenants with a handful of
 * instances each that ran through it ({@link SyntheticUsageLog}: started and stopped twice a day, so most hours are
 * partial, some resized, a tenth deleted), every tenant on a price list ({@link PricedTenants}). The control plane runs
 * in this JVM on its all-in-one embedded PostgreSQL at production durability (fsync and synchronous_commit on, read back
 * and printed), without agent endpoint, scheduling, rollup worker or Quartz.
 *
 * <p>Its clock is the real one moved to the hour after the month's end, to the first firing of the hourly month-close
 * job once {@code close-after} (1 h) has passed — when production closes the month — so the rollups hold the month and
 * an hour of the next, not every hour up to the real today.
 *
 * <p>Not timed: COPY of the log ({@link UsageLogCopy}), the tenants and price lists by SQL, and settling the rollups with
 * the rollup worker's own pass ({@link RecomputeDrain}, reported as setup), then VACUUM ANALYZE and a CHECKPOINT. Timed:
 * {@code closeMonth}, with each tenant's {@link Invoicing#close} (commit included) and the calls inside it timed from
 * outside ({@link CallTimes}). Checked afterwards ({@link InvoiceCheck}): every tenant FINAL under the numbers 1..N
 * without a gap, a second {@code closeMonth} closes and writes nothing, closing each tenant again returns its invoice as
 * already final, and a sample of invoices equals an independent re-rating from the stored hours. Prints the figures,
 * {@code verified}, and a final {@code RESULT} line for scripts; {@code --smoke} is a run of a few seconds.
 *
 * <p>Run it with {@code scripts/bench-month-close.sh [--tenants=N] [--instances-per-tenant=K] …}; see docs/performance.md.
 */
public final class MonthCloseBenchmark {

    private static final Map<String, String> SMOKE = Map.of("tenants", "20", "instances-per-tenant", "2", "days", "7", "samples", "20");
    /** When the month-close job first closes a month: its default close-after (1 h), at the minute its cron fires (:07). */
    private static final Duration JOB_CLOSES_AFTER_MONTH_END = Duration.ofMinutes(67);

    private MonthCloseBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        boolean smoke = Arrays.asList(args).contains("--smoke");
        Map<String, String> defaults = new HashMap<>(Map.of("tenants", "1000", "instances-per-tenant", "5", "days", "whole-month",
                "month", YearMonth.now(ZoneOffset.UTC).minusMonths(1).toString(), "workers", "2", "samples", "100", "seed", "1"));
        if (smoke) {
            defaults.putAll(SMOKE);
        }
        BenchArgs options = BenchArgs.parse(Stream.of(args).filter(arg -> !arg.equals("--smoke")).toArray(String[]::new), defaults);
        System.exit(run(options, System.out) ? 0 : 1);
    }

    static boolean run(BenchArgs options, PrintStream out) throws Exception {
        BillingPeriod period = new BillingPeriod(YearMonth.parse(options.text("month")));
        int monthDays = (int) (period.hours() / 24);
        int days = options.text("days").equals("whole-month") ? monthDays : Math.min(options.integer("days"), monthDays);
        Instant closesAt = period.end().plus(JOB_CLOSES_AFTER_MONTH_END);
        if (closesAt.isAfter(Instant.now())) {
            throw new IllegalArgumentException(period + " has not ended an hour ago yet: month close would not take it");
        }
        Clock clock = Clock.offset(Clock.tickMillis(ZoneOffset.UTC), Duration.between(Instant.now(), closesAt).truncatedTo(ChronoUnit.MILLIS));
        try (WorkDirectory work = WorkDirectory.of(null, "freehold-month-close-bench");
             ConfigurableApplicationContext controlPlane = controlPlane(work.path(), clock)) {
            JdbcClient jdbc = controlPlane.getBean(JdbcClient.class);
            ProcessHandle postgres = EmbeddedDatabase.postmaster(work.path());
            out.printf("freehold month close benchmark, %s%nmachine: %s; load average %s%n", Instant.now().truncatedTo(ChronoUnit.SECONDS),
                    Machine.describe(), Machine.loadAverage());
            Map<String, String> settings = EmbeddedDatabase.settings(jdbc);
            out.printf("PostgreSQL (embedded, as read back from the server): %s%n", settings);
            out.printf("month %s; the control plane's clock starts at %s, the month-close job's first firing for it%n", period, closesAt);
            SyntheticUsageLog log = setUp(controlPlane, options, period, days, clock, postgres, out);

            RowUpdates updatesBefore = RowUpdates.of(jdbc);
            TimedMonthClose closing = TimedMonthClose.run(controlPlane, period, postgres, out);
            BillingRows written = BillingRows.count(jdbc, period);
            out.printf("== month close of %s: %,d tenants × %d instances, %d days of usage ==%n", period, log.tenantCount(),
                    options.integer("instances-per-tenant"), days);
            print(closing, written, out);

            List<String> tenants = log.tenantIds();
            InvoiceCheck.Outcome check = InvoiceCheck.run(jdbc, tenants, period.start(), period.end(), options.integer("samples"), out);
            out.printf("check: %,d of %,d tenants FINAL, numbers 1..%,d %s; %d open hours left in the month; %d lines whose resource parts "
                            + "do not add up, %d invoices not the sum of their lines; %d sampled invoices re-rated from the stored hours "
                            + "(SQL sums × prices, rounded per line half-even): %d equal%n", check.finals(), tenants.size(), check.finals(),
                    check.numbersGapless() ? "without a gap" : "WITH GAPS", check.openHours(), check.linesOff(), check.invoicesOff(), check.sampled(),
                    check.sampled() - check.mismatches());
            int closed = closing.outcome().closed().size();
            CloseAgain again = CloseAgain.run(controlPlane.getBean(MonthClose.class), controlPlane.getBean(Invoicing.class), jdbc, period,
                    closing.outcome().closed(), clock.instant());
            out.printf("a second closeMonth: %d closed, %d already final, %d failed, %s; each tenant closed again (Invoicing.close): "
                            + "%,d of %,d already final with the same number and total, %s%n", again.second().closed().size(),
                    again.second().alreadyFinal(), again.second().failed().size(), again.secondWroteNothing() ? "nothing written" : "WROTE",
                    again.reclosedAlreadyFinal(), closed, again.recloseWroteNothing() ? "nothing written" : "WROTE");
            RowUpdates updates = RowUpdates.of(jdbc).since(updatesBefore);
            out.printf("usage_hourly row updates PostgreSQL's statistics counted since before the close (each backend reports its own within "
                    + "seconds): %,d, of which HOT (no new index entries): %,d; load average at the end %s%n", updates.rows(), updates.hot(),
                    Machine.loadAverage());

            boolean verified = closed == tenants.size() && closing.outcome().failed().isEmpty() && closing.outcome().alreadyFinal() == 0
                    && check.holds(tenants.size()) && again.holds(closed);
            out.println(verified ? "verified" : "NOT VERIFIED");
            LatencySamples perTenant = closing.perTenant();
            out.printf("RESULT tenants=%d instances=%d days=%d closed=%d failed=%d seconds=%.1f invoicesPerSecond=%.1f hoursClosed=%d lines=%d parts=%d "
                            + "p50Millis=%.1f p99Millis=%.1f checked=%d mismatches=%d gapless=%s secondClosed=%d reclosedAlreadyFinal=%d "
                            + "verified=%s fsync=%s synchronous_commit=%s%n", tenants.size(), log.instanceCount(), days, closed,
                    closing.outcome().failed().size(), closing.seconds(), closed / closing.seconds(), written.closedHours(), written.lines(),
                    written.parts(), perTenant.quantileMillis(0.5), perTenant.quantileMillis(0.99), check.sampled(), check.mismatches(),
                    check.numbersGapless(), again.second().closed().size(), again.reclosedAlreadyFinal(), verified, settings.get("fsync"),
                    settings.get("synchronous_commit"));
            return verified;
        }
    }

    /**
     * Not timed as month close: the log by COPY, the tenants and their price lists by SQL, the rollups settled by the
     * worker's pass (timed and printed as setup), then VACUUM ANALYZE and a CHECKPOINT, as a database the worker and
     * autovacuum keep would be.
     */
    private static SyntheticUsageLog setUp(ConfigurableApplicationContext controlPlane, BenchArgs options, BillingPeriod period, int days,
                                           Clock clock, ProcessHandle postgres, PrintStream out) throws Exception {
        JdbcClient jdbc = controlPlane.getBean(JdbcClient.class);
        SyntheticUsageLog log = SyntheticUsageLog.evenlyOwned(options.integer("tenants"), options.integer("instances-per-tenant"), days,
                period.end(), options.integer("seed"));
        long loadStart = System.nanoTime();
        UsageLogCopy.load(controlPlane.getBean(HikariDataSource.class), jdbc, log);
        PricedTenants.write(jdbc, log, period.end().minus(Duration.ofDays(days)), period.end(), clock.instant());
        out.printf("loaded (not timed) %,d facts of %,d instances of %,d tenants over the month's last %d days in %.1f s; 3 price lists%n",
                log.events(), log.instanceCount(), log.tenantCount(), days, (System.nanoTime() - loadStart) / 1e9);

        RecomputeDrain settle = RecomputeDrain.run(controlPlane.getBean(UsageRecomputePass.class), options.integer("workers"), postgres, out);
        long hourRows = jdbc.sql("select count(*) from usage_hourly").query(Long.class).single();
        out.printf("settled (setup, not month close): %,d instances' rollups by the worker's pass on %d threads in %.1f s, %,d hour rows; "
                        + "CPU: JVM %.2f, PostgreSQL %.2f cores%n", log.instanceCount(), options.integer("workers"), settle.seconds(), hourRows,
                settle.jvmCpu() / settle.seconds(), settle.postgresCpu() / settle.seconds());
        jdbc.sql("vacuum analyze usage_hourly, usage_resource, lifecycle_event, tenant_pricing, price_list_version, price_list_unit_price").update();
        jdbc.sql("checkpoint").update();
        out.printf("database %s, usage_hourly with indexes %s; load average %s%n", EmbeddedDatabase.size(jdbc, "pg_database_size(current_database())"),
                EmbeddedDatabase.size(jdbc, "pg_total_relation_size('usage_hourly')"), Machine.loadAverage());
        return log;
    }

    private static void print(TimedMonthClose closing, BillingRows written, PrintStream out) {
        int closed = closing.outcome().closed().size();
        LatencySamples perTenant = closing.perTenant();
        out.printf("wall %.1f s: %,d invoices closed (%,.1f invoices/s), %d failed; %,d hours closed (%,.0f/s), %,d invoice lines, "
                        + "%,d resource parts%n", closing.seconds(), closed, closed / closing.seconds(), closing.outcome().failed().size(),
                written.closedHours(), written.closedHours() / closing.seconds(), written.lines(), written.parts());
        out.printf("per tenant (Invoicing.close, commit included): p50 %.1f ms, p99 %.1f ms, max %.1f ms over %,d; finding the tenants "
                        + "(unclosedBefore) %.0f ms%n", perTenant.quantileMillis(0.5), perTenant.quantileMillis(0.99), perTenant.quantileMillis(1.0),
                perTenant.count(), closing.times().of("Invoicing.unclosedBefore").totalMillis());
        out.printf("where a tenant's close goes, mean ms: %s%n", closing.breakdown());
        out.printf("CPU cores used (of %d): control plane JVM %.2f, PostgreSQL %.2f, other work %.2f; per invoice: JVM %.1f ms, PostgreSQL %.1f ms%n",
                Runtime.getRuntime().availableProcessors(), closing.jvmCpu() / closing.seconds(), closing.postgresCpu() / closing.seconds(),
                closing.otherCpu() / closing.seconds(), closing.jvmCpu() / closed * 1e3, closing.postgresCpu() / closed * 1e3);
        out.printf("per hour closed: PostgreSQL CPU %.1f µs, WAL %,.0f bytes (%s of WAL in all); usage_hourly grew by %s of heap and %s of "
                        + "indexes%n", closing.postgresCpu() / written.closedHours() * 1e6, (double) closing.walBytes() / written.closedHours(),
                Machine.mib(closing.walBytes()), Machine.mib(closing.heapGrowthBytes()), Machine.mib(closing.indexGrowthBytes()));
    }

    /**
     * {@code usage_hourly}'s updated rows so far, and how many of those updates were HOT, from PostgreSQL's statistics
     * (which a backend reports within a second or so of its commit, so read them a while after the writes).
     */
    private record RowUpdates(long rows, long hot) {

        static RowUpdates of(JdbcClient jdbc) {
            return jdbc.sql("select n_tup_upd, n_tup_hot_upd from pg_stat_user_tables where relname = 'usage_hourly'")
                    .query((rs, row) -> new RowUpdates(rs.getLong("n_tup_upd"), rs.getLong("n_tup_hot_upd"))).single();
        }

        RowUpdates since(RowUpdates before) {
            return new RowUpdates(rows - before.rows, hot - before.hot);
        }
    }

    /**
     * The control plane with its embedded PostgreSQL on {@code clock} (made the primary Clock bean, so every part of it
     * reads the same time), without agent endpoint, local agent, scheduling, rollup worker or Quartz: the benchmark
     * settles the rollups and closes the month itself.
     */
    private static ConfigurableApplicationContext controlPlane(Path home, Clock clock) {
        return new SpringApplicationBuilder(FreeholdApplication.class)
                .initializers(context -> ((GenericApplicationContext) context).registerBean("benchmarkClock", Clock.class, () -> clock,
                        definition -> definition.setPrimary(true)))
                .run("--freehold.home=" + home, "--server.port=0", "--server.address=127.0.0.1", "--freehold.agentlink.enabled=false",
                        "--freehold.local-agent.enabled=false", "--freehold.compute.scheduling.enabled=false",
                        "--freehold.metering.recompute.enabled=false", "--spring.quartz.auto-startup=false", "--spring.main.banner-mode=off",
                        "--logging.level.root=WARN");
    }
}
