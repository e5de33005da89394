package io.freehold.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The placement benchmarks' smoke runs, part of {@code mvn verify}: each launched exactly as
 * scripts/bench-placement.sh launches it (inside the packaged jar, benchmark classes on loader.path), a
 * few seconds on a small fleet. They check that the runs happened as the full runs would (every workload
 * decided, placements committed at production durability, no host over its capacity), never how fast.
 */
class PlacementBenchmarksSmokeIT {

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void thePlannerDecidesEveryWorkloadOverTenThousandHosts() throws Exception {
        Map<String, String> result = InsideControlPlaneJar.launch("io.freehold.bench.PlannerBenchmark", "--hosts=10000", "--seconds=2", "--warmup-seconds=1");

        assertThat(result).containsKeys("fits.perSecond", "fitsNowhere.perSecond", "batchOf1000.perSecond");
        assertThat(result.values()).allSatisfy(value -> assertThat(Double.parseDouble(value)).isPositive());
    }

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void twoReplicasCommitPlacementsDurablyWithoutOvercommittingAHost() throws Exception {
        Map<String, String> result = InsideControlPlaneJar.launch("io.freehold.bench.PlacementCommitBenchmark", "--hosts=200", "--tenants=16", "--seconds=3",
                "--warmup-seconds=1");

        assertThat(result).containsEntry("fsync", "on").containsEntry("synchronous_commit", "on").containsEntry("hostsOverAllocatable", "0");
        assertThat(Long.parseLong(result.get("placed"))).as("placements committed in the window").isPositive();
    }
}
