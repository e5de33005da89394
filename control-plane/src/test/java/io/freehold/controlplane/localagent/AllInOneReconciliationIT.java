package io.freehold.controlplane.localagent;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import io.freehold.controlplane.testing.ApiClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Issue 7's "the reconciliation report shows zero differences" in a normal run: the packaged control plane and the
 * real agent jar on libvirt's test driver, an instance started, stopped and started through REST. The agent's own
 * running-seconds counter, its lifecycle facts and the rollups the worker keeps must agree within the tolerance.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class AllInOneReconciliationIT {

    @TempDir
    Path work;

    @Test
    void aNormalRunReconcilesWithTheAgentsCounter() throws Exception {
        Files.createDirectories(work.resolve("home"));
        try (AllInOneCloud cloud = AllInOneCloud.start(work.resolve("home"), work.resolve("control-plane.log"), "test:///default", "5s")) {
            ApiClient api = cloud.api();
            cloud.uploadTestDriverImage("empty", work);
            String id = api.post("/api/v1/instances", cloud.token(), Map.of("name", "web-1", "flavorId", cloud.flavor(),
                    "imageRef", "empty")).expect(202).text("id");
            String path = "/api/v1/instances/" + id;
            cloud.await(path, "RUNNING", 1);
            api.post(path + "/stop", cloud.token(), null).expect(202);
            cloud.await(path, "STOPPED", 2);
            api.post(path + "/start", cloud.token(), null).expect(202);
            cloud.await(path, "RUNNING", 3);

            JsonNode running = awaitLine(cloud, id, line -> line.path("counters").get(0).path("power").asString().equals("RUNNING")
                    && line.path("loggedRunningSeconds").asLong() > 0);
            assertThat(running.path("likelyCause").asString()).as("%s", running).isEqualTo("NONE");
            assertThat(Math.abs(running.path("difference").asLong())).as("%s", running)
                    .isLessThanOrEqualTo(running.path("tolerance").asLong());
            assertThat(running.path("duplicateDeliveriesIgnored").asLong()).isZero();

            api.post(path + "/stop", cloud.token(), null).expect(202);
            cloud.await(path, "STOPPED", 4);
            JsonNode stopped = awaitLine(cloud, id, line -> line.path("counters").get(0).path("power").asString().equals("SHUT_OFF"));
            assertThat(stopped.path("likelyCause").asString()).as("%s", stopped).isEqualTo("NONE");
            assertThat(Math.abs(stopped.path("difference").asLong())).as("%s", stopped)
                    .isLessThanOrEqualTo(stopped.path("tolerance").asLong());
            // Stopped, the log's running seconds are final: billed, or pending a queued recompute — but for the last
            // second of a stop dated ahead of the clock that recorded it (the Hello's transit is in the clock offset),
            // which waits for the next sweep.
            assertThat(stopped.path("loggedRunningSeconds").asLong() - stopped.path("billedRunningSeconds").asLong()
                    - stopped.path("rollupBehindSeconds").asLong())
                    .as("%s %s", stopped, api.get(path + "/lifecycle-events", cloud.token()).expect(200).body())
                    .isBetween(0L, 1L);
            assertThat(api.get("/api/v1/ops/usage/reconciliation?onlyDifferences=true", cloud.adminToken()).expect(200).json()
                    .path("items")).as("a normal run: no differences").isEmpty();
        }
    }

    /**
     * The instance's line once its counter shows {@code ready} and the rollups have caught up with the facts: the
     * worker recomputes within seconds of a fact, and a line read in between is ROLLUP_PENDING.
     */
    private static JsonNode awaitLine(AllInOneCloud cloud, String id, Predicate<JsonNode> ready) throws Exception {
        long deadline = System.nanoTime() + AllInOneCloud.STEP_LIMIT.toNanos();
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
        throw new AssertionError("the reconciliation line never settled: " + line);
    }
}
