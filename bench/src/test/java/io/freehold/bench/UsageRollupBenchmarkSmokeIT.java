package io.freehold.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The usage rollup benchmark's smoke run, part of {@code mvn verify}: {@code --smoke} (300 instances × 7 days), launched
 * as scripts/bench-usage.sh launches it. It checks that the run happened as the full one would — PostgreSQL durable,
 * every key drained, every instance with hours, the sampled hours equal to the pure integrator and the generator — never
 * how fast.
 */
class UsageRollupBenchmarkSmokeIT {

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void rollupsFromEmptyToSettledAreExactAndDurable() throws Exception {
        Map<String, String> result = InsideControlPlaneJar.launch("io.freehold.bench.UsageRollupBenchmark", "--smoke");

        assertThat(result).containsEntry("fsync", "on").containsEntry("synchronous_commit", "on")
                .containsEntry("mismatches", "0").containsEntry("keysLeft", "0").containsEntry("instancesWithoutHours", "0");
        assertThat(Long.parseLong(result.get("checked"))).as("sampled instances checked").isPositive();
        assertThat(Long.parseLong(result.get("hours"))).as("hour rows written").isPositive();
    }
}
