package io.freehold.controlplane.localagent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import io.freehold.controlplane.testing.ApiClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Issue 7's "done when", in all-in-one mode: an instance run for a measured time shows that many seconds in the usage
 * API and its CSV, and the reconciliation report finds the rollups, the log and the host's own running-seconds counter
 * in agreement, while it runs and once it stopped. The packaged control plane and its real local agent on libvirt's test driver, all through REST.
 *
 * <p>The measurement is the tenant's: read the usage, start the instance, run it, stop it, read the usage again, and
 * time the run from RUNNING first seen to STOPPED first seen. The billed seconds must lie within 1 s of the true run,
 * which lies between the start request and RUNNING seen at one end and the stop request and STOPPED seen at the
 * other; and within {@value #MEASUREMENT_TOLERANCE} s of the stopwatch's figure.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class AllInOneUsageIT {

    private static final Duration RUN = Duration.ofSeconds(20);
    private static final Duration SETTLE_LIMIT = Duration.ofSeconds(60);
    /**
     * Whole seconds put the billed figure within 1 s of the true run; the stopwatch adds how much sooner or later the
     * stop is seen than the start was (both travel the same way: agent report, status, a 50 ms poll), which a loaded
     * machine can make a few tenths of a second.
     */
    private static final double MEASUREMENT_TOLERANCE = 1.5;

    @TempDir
    Path home;
    @TempDir
    Path logs;
    @TempDir
    Path files;

    @Test
    void anInstanceRunForAMeasuredTimeIsBilledThatManySecondsAndReconciles() throws Exception {
        try (AllInOneCloud cloud = AllInOneCloud.start(home, logs.resolve("control-plane.log"), "test:///default", "5s")) {
            ApiClient api = cloud.api();
            cloud.uploadTestDriverImage("empty", files);
            Instant from = Instant.now().truncatedTo(ChronoUnit.HOURS);
            String id = api.post("/api/v1/instances", cloud.token(), Map.of("name", "metered", "flavorId", cloud.flavor(),
                    "imageRef", "empty")).expect(202).text("id");
            String path = "/api/v1/instances/" + id;
            cloud.await(path, "RUNNING", 1);
            api.post(path + "/stop", cloud.token(), null).expect(202);
            cloud.await(path, "STOPPED", 2);
            String usage = "/api/v1/usage?granularity=hour&resourceId=" + id + "&from=" + from + "&to=" + from.plus(1, ChronoUnit.DAYS);
            BigDecimal before = settledSeconds(cloud, usage);

            long startSent = System.nanoTime();
            api.post(path + "/start", cloud.token(), null).expect(202);
            long runningSeen = cloud.firstSeen(path, "RUNNING", 3);
            JsonNode running = awaitReconciled(cloud, id, line -> line.path("counters").get(0).path("power").asString().equals("RUNNING")
                    && line.path("agentRunningSeconds").asLong() > 0);
            assertThat(running.path("likelyCause").asString()).as("while it runs: %s", running).isEqualTo("NONE");
            Thread.sleep(Math.max(0, RUN.toMillis() - (System.nanoTime() - runningSeen) / 1_000_000));
            long stopSent = System.nanoTime();
            api.post(path + "/stop", cloud.token(), null).expect(202);
            long stoppedSeen = cloud.firstSeen(path, "STOPPED", 4);
            BigDecimal after = settledSeconds(cloud, usage);

            double measured = (stoppedSeen - runningSeen) / 1e9;
            double shortest = (stopSent - runningSeen) / 1e9;
            double longest = (stoppedSeen - startSent) / 1e9;
            BigDecimal billed = after.subtract(before);
            System.out.printf("[AllInOneUsageIT] RUNNING seen to STOPPED seen %.2f s (start seen after %.2f s, stop after %.2f s); "
                    + "the run lay within %.2f–%.2f s; billed %s s%n", measured, (runningSeen - startSent) / 1e9, (stoppedSeen - stopSent) / 1e9,
                    shortest, longest, billed);
            assertThat(billed.doubleValue()).as("instance seconds billed for a run that lay within %.2f–%.2f s", shortest, longest)
                    .isGreaterThan(shortest - 1).isLessThan(longest + 1);
            assertThat(Math.abs(billed.doubleValue() - measured)).as("billed %s s for a run measured at %.2f s", billed, measured)
                    .isLessThanOrEqualTo(MEASUREMENT_TOLERANCE);

            JsonNode totals = api.get(usage.replace("resourceId=" + id + "&", ""), cloud.token()).expect(200).json().path("totals");
            assertThat(sum(totals, "vcpu.seconds")).as("1 vCPU: vCPU seconds = instance seconds").isEqualByComparingTo(after);
            assertThat(sum(totals, "memory.gib.seconds")).as("256 MiB: a quarter GiB per second, exactly")
                    .isEqualByComparingTo(after.multiply(new BigDecimal("0.25")));
            assertThat(csvSeconds(cloud, usage)).as("the CSV's instance seconds").isEqualByComparingTo(after);

            JsonNode stopped = awaitReconciled(cloud, id, line -> line.path("counters").get(0).path("power").asString().equals("SHUT_OFF"));
            assertThat(stopped.path("likelyCause").asString()).as("%s", stopped).isEqualTo("NONE");
            assertThat(Math.abs(stopped.path("difference").asLong())).as("%s", stopped).isLessThanOrEqualTo(stopped.path("tolerance").asLong());
            assertThat(stopped.path("billedRunningSeconds").asLong()).as("what the usage API shows: %s", stopped).isEqualTo(after.longValueExact());
            assertThat(stopped.path("duplicateDeliveriesIgnored").asLong()).isZero();
            assertThat(api.get("/api/v1/ops/usage/reconciliation?onlyDifferences=true", cloud.adminToken()).expect(200).json().path("items"))
                    .as("a normal run: no differences").isEmpty();
        }
    }

    /** The instance seconds the usage API shows once two reads a few seconds apart agree. */
    private static BigDecimal settledSeconds(AllInOneCloud cloud, String usage) throws Exception {
        long deadline = System.nanoTime() + SETTLE_LIMIT.toNanos();
        BigDecimal last = null;
        while (System.nanoTime() < deadline) {
            BigDecimal now = sum(cloud.api().get(usage, cloud.token()).expect(200).json().path("items"), "instance.seconds");
            if (now.signum() > 0 && now.equals(last)) {
                return now;
            }
            last = now;
            Thread.sleep(3_000);
        }
        return fail("the usage of " + usage + " did not settle within " + SETTLE_LIMIT + ": last " + last);
    }

    private static BigDecimal sum(JsonNode rows, String meter) {
        return rows.valueStream().filter(row -> row.path("meter").asString().equals(meter))
                .map(row -> new BigDecimal(row.path("quantity").asString())).reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    private static BigDecimal csvSeconds(AllInOneCloud cloud, String usage) {
        String csv = cloud.api().send("GET", usage, cloud.token(), null, Map.of("Accept", "text/csv")).expect(200).body();
        String[] lines = csv.split("\r?\n");
        assertThat(lines[0]).isEqualTo("tenant_id,resource_id,meter,flavor,period_start,period_end,quantity,unit");
        BigDecimal seconds = BigDecimal.ZERO;
        for (int i = 1; i < lines.length; i++) {
            String[] fields = lines[i].split(",");
            if (fields[2].equals("instance.seconds")) {
                seconds = seconds.add(new BigDecimal(fields[6]));
            }
        }
        return seconds;
    }

    /**
     * The instance's reconciliation line once its host's counter shows {@code ready} and the rollups have caught up:
     * the worker recomputes within seconds of a fact, and a line read in between is ROLLUP_PENDING.
     */
    private static JsonNode awaitReconciled(AllInOneCloud cloud, String id, Predicate<JsonNode> ready) throws Exception {
        long deadline = System.nanoTime() + SETTLE_LIMIT.toNanos();
        JsonNode line = null;
        while (System.nanoTime() < deadline) {
            JsonNode items = cloud.api().get("/api/v1/ops/usage/reconciliation?instanceId=" + id, cloud.adminToken()).expect(200).json()
                    .path("items");
            line = items.isEmpty() ? null : items.get(0);
            if (line != null && line.path("counters").size() == 1 && ready.test(line)
                    && !line.path("likelyCause").asString().equals("ROLLUP_PENDING")) {
                return line;
            }
            Thread.sleep(500);
        }
        return fail("the reconciliation line never settled within " + SETTLE_LIMIT + ": " + line);
    }
}
