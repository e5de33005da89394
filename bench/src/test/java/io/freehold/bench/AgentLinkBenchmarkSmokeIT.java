package io.freehold.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The benchmark's smoke run, part of {@code mvn verify}: 150 agents against the packaged control
 * plane for a few seconds, so that the harness keeps working and its figures keep printing. It checks that the run
 * happened as the full run would (durable PostgreSQL, every agent joined, connected and held, heartbeats handled),
 * never how fast: timings on a shared CI machine prove nothing. The full run is in docs/performance.md.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class AgentLinkBenchmarkSmokeIT {

    private static final int AGENTS = 150;

    @Test
    void aFewHundredAgentsJoinConnectAndHeartbeatAgainstThePackagedJar() throws Exception {
        Path jar = Path.of(System.getProperty("freehold.jar", "../control-plane/target/freehold-control-plane.jar"));
        AgentLinkBenchmark.Plan plan = new AgentLinkBenchmark.Plan(AGENTS, Duration.ofSeconds(5), Duration.ofSeconds(6), 8, 64,
                jar, List.of(), null);

        AgentLinkBenchmark.Result result = AgentLinkBenchmark.run(plan, System.out);

        assertThat(result.durability()).as("the embedded PostgreSQL's durability, read back from the server")
                .containsEntry("fsync", "on").containsEntry("synchronous_commit", "on");
        assertThat(result.joined()).as("hosts joined").isEqualTo(AGENTS);
        assertThat(result.held()).as("every agent welcomed, none dropped, every host READY, no missed heartbeats: %s", result).isTrue();
        assertThat(result.heartbeatsHandledInWindow()).as("heartbeats the control plane recorded in the window").isPositive();
    }
}
