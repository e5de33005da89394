package io.freehold.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The instance-create benchmark's smoke run, part of {@code mvn verify}: 20 hosts, each the real agent on a test driver
 * of its own, and a few seconds of creates against the packaged control plane, so that the harness keeps working and
 * its figures keep printing. It checks that the run happened as the full run would (durable PostgreSQL, every host
 * READY throughout, every create seen RUNNING through the API, exactly one succeeded PutGuest and one provisioned and
 * one started fact from its agent per instance, each observed running and with its root disk), never how fast: timings
 * on a shared CI machine prove nothing. The full run is in docs/performance.md.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class InstanceCreateBenchmarkSmokeIT {

    private static final int HOSTS = 20;

    @Test
    void createsThroughTheApiEndRunningOnceOnTheTestDriverHosts() throws Exception {
        Path jar = Path.of(System.getProperty("freehold.jar", "../control-plane/target/freehold-control-plane.jar"));
        InstanceCreateBenchmark.Plan plan = new InstanceCreateBenchmark.Plan(HOSTS, 4, 32, 0, Duration.ofSeconds(2), Duration.ofSeconds(4),
                Duration.ofSeconds(60), jar, List.of(), null);

        InstanceCreateBenchmark.Result result = InstanceCreateBenchmark.run(plan, System.out);

        assertThat(result.durability()).as("the embedded PostgreSQL's durability, read back from the server")
                .containsEntry("fsync", "on").containsEntry("synchronous_commit", "on");
        assertThat(result.complete()).as("every host held, every create RUNNING exactly once: %s", result).isTrue();
        assertThat(result.perSecond()).as("instances seen RUNNING per second in the window").isPositive();
    }
}
