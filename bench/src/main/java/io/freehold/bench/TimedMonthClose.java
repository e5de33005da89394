package io.freehold.bench;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.freehold.controlplane.billing.Invoicing;
import io.freehold.controlplane.billing.MonthClose;
import io.freehold.controlplane.billing.decision.BillingPeriod;
import io.freehold.controlplane.catalog.PriceLists;
import io.freehold.controlplane.compute.BilledInstances;
import io.freehold.controlplane.metering.UsageLedger;
import io.freehold.controlplane.metering.UsageRollups;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * One timed {@link MonthClose#closeMonth}, run on a thread of its own with a progress line every 30 s: what it returned,
 * its wall time, the CPU of this JVM, of PostgreSQL and of the rest of the machine, the WAL PostgreSQL wrote, and the
 * calls inside each tenant's {@link Invoicing#close} timed from outside ({@link CallTimes}).
 *
 * @param walBytes        WAL written meanwhile: every row written, index entries and full-page images included
 * @param heapGrowthBytes how much {@code usage_hourly}'s heap grew meanwhile (an updated row is a new row version)
 * @param indexGrowthBytes how much its indexes grew meanwhile (a row version not updated HOT has new entries in each)
 */
record TimedMonthClose(MonthClose.Outcome outcome, CallTimes times, double seconds, double jvmCpu, double postgresCpu, double otherCpu,
                       long walBytes, long heapGrowthBytes, long indexGrowthBytes) {

    private static final long PROGRESS_EVERY_MILLIS = 30_000;

    static TimedMonthClose run(ConfigurableApplicationContext controlPlane, BillingPeriod period, ProcessHandle postgres, PrintStream out)
            throws Exception {
        JdbcClient jdbc = controlPlane.getBean(JdbcClient.class);
        MonthClose monthClose = controlPlane.getBean(MonthClose.class);
        try (CallTimes times = new CallTimes()) {
            times.attach(controlPlane.getBean(Invoicing.class), "close", "unclosedBefore")
                    .attach(controlPlane.getBean(UsageRollups.class), "recomputeAll")
                    .attach(controlPlane.getBean(UsageLedger.class), "resourcesOf", "close", "hours", "adjustmentsRecorded")
                    .attach(controlPlane.getBean(PriceLists.class), "bookFor")
                    .attach(controlPlane.getBean(BilledInstances.class), "names")
                    .attach(controlPlane.getBean("invoiceStore"), "lockTenant", "find", "nextNumber", "insert");
            String walBefore = jdbc.sql("select cast(pg_current_wal_lsn() as text)").query(String.class).single();
            long heapBefore = size(jdbc, "pg_relation_size('usage_hourly')");
            long indexesBefore = size(jdbc, "pg_indexes_size('usage_hourly')");
            double jvmBefore = CpuTime.secondsOf(ProcessHandle.current());
            double postgresBefore = CpuTime.secondsOfTree(postgres);
            double machineBefore = Machine.busyCpuSeconds();
            long start = System.nanoTime();
            ExecutorService thread = Executors.newSingleThreadExecutor();
            Future<MonthClose.Outcome> running = thread.submit(() -> monthClose.closeMonth(period.month()));
            long nextProgress = System.currentTimeMillis() + PROGRESS_EVERY_MILLIS;
            while (!running.isDone()) {
                Thread.sleep(200);
                if (System.currentTimeMillis() >= nextProgress) {
                    nextProgress += PROGRESS_EVERY_MILLIS;
                    out.printf("  %.0f s: %,d tenants closed; load average %s%n", (System.nanoTime() - start) / 1e9,
                            times.of("Invoicing.close").count(), Machine.loadAverage());
                }
            }
            MonthClose.Outcome outcome = running.get();
            double wall = (System.nanoTime() - start) / 1e9;
            thread.shutdown();
            double jvm = CpuTime.secondsOf(ProcessHandle.current()) - jvmBefore;
            double postgresCpu = CpuTime.secondsOfTree(postgres) - postgresBefore;
            double other = Machine.busyCpuSeconds() - machineBefore - jvm - postgresCpu;
            long wal = jdbc.sql("select cast(pg_wal_lsn_diff(pg_current_wal_lsn(), cast(:before as pg_lsn)) as bigint)").param("before", walBefore)
                    .query(Long.class).single();
            return new TimedMonthClose(outcome, times, wall, jvm, postgresCpu, other, wal, size(jdbc, "pg_relation_size('usage_hourly')") - heapBefore,
                    size(jdbc, "pg_indexes_size('usage_hourly')") - indexesBefore);
        }
    }

    private static long size(JdbcClient jdbc, String expression) {
        return jdbc.sql("select " + expression).query(Long.class).single();
    }

    /** Each tenant's {@link Invoicing#close}, commit included. */
    LatencySamples perTenant() {
        return times.of("Invoicing.close");
    }

    /** The mean time per tenant of each timed call inside a tenant's close, and of the rest. */
    String breakdown() {
        Map<String, Double> parts = new LinkedHashMap<>();
        parts.put("lock and look for a final invoice", times.of("InvoiceStore.lockTenant").totalMillis() + times.of("InvoiceStore.find").totalMillis());
        parts.put("price book", times.of("PriceLists.bookFor").totalMillis());
        parts.put("resources", times.of("UsageLedger.resourcesOf").totalMillis());
        parts.put("recompute rollups", times.of("UsageRollups.recomputeAll").totalMillis());
        parts.put("close hours", times.of("UsageLedger.close").totalMillis());
        parts.put("read hours", times.of("UsageLedger.hours").totalMillis());
        parts.put("read adjustments", times.of("UsageLedger.adjustmentsRecorded").totalMillis());
        parts.put("names", times.of("BilledInstances.names").totalMillis());
        parts.put("number", times.of("InvoiceStore.nextNumber").totalMillis());
        parts.put("insert invoice", times.of("InvoiceStore.insert").totalMillis());
        int tenants = perTenant().count();
        double rest = perTenant().totalMillis() - parts.values().stream().mapToDouble(Double::doubleValue).sum();
        StringBuilder line = new StringBuilder();
        parts.forEach((name, millis) -> line.append(String.format("%s %.1f, ", name, millis / tenants)));
        return line.append(String.format("the rest (credit notes, rating, commit) %.1f", rest / tenants)).toString();
    }
}
