package io.freehold.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
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
        Map<String, String> result = launch("io.freehold.bench.PlannerBenchmark", "--hosts=10000", "--seconds=2", "--warmup-seconds=1");

        assertThat(result).containsKeys("fits.perSecond", "fitsNowhere.perSecond", "batchOf1000.perSecond");
        assertThat(result.values()).allSatisfy(value -> assertThat(Double.parseDouble(value)).isPositive());
    }

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void twoReplicasCommitPlacementsDurablyWithoutOvercommittingAHost() throws Exception {
        Map<String, String> result = launch("io.freehold.bench.PlacementCommitBenchmark", "--hosts=200", "--tenants=16", "--seconds=3",
                "--warmup-seconds=1");

        assertThat(result).containsEntry("fsync", "on").containsEntry("synchronous_commit", "on").containsEntry("hostsOverAllocatable", "0");
        assertThat(Long.parseLong(result.get("placed"))).as("placements committed in the window").isPositive();
    }

    /** Runs the benchmark to its end and returns its {@code RESULT} line's values. */
    private static Map<String, String> launch(String main, String... options) throws IOException, InterruptedException {
        Path jar = Path.of(System.getProperty("freehold.jar", "../control-plane/target/freehold-control-plane.jar"));
        Path output = Files.createTempFile("placement-bench", ".log");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dloader.path=" + Path.of("target/classes").toAbsolutePath(), "-Dloader.main=" + main, "-cp", jar.toString(),
                "org.springframework.boot.loader.launch.PropertiesLauncher"));
        command.addAll(List.of(options));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        try {
            int exit = process.waitFor();
            String printed = Files.readString(output, StandardCharsets.UTF_8);
            System.out.println(printed);
            assertThat(exit).as("exit status of %s; it printed:%n%s", main, printed).isZero();
            String line = printed.lines().filter(l -> l.startsWith("RESULT ")).reduce((a, b) -> b).orElseThrow(
                    () -> new AssertionError(main + " printed no RESULT line:\n" + printed));
            Map<String, String> values = new HashMap<>();
            for (String pair : line.substring("RESULT ".length()).split(" ")) {
                values.put(pair.substring(0, pair.indexOf('=')), pair.substring(pair.indexOf('=') + 1));
            }
            return values;
        } finally {
            process.destroyForcibly();
            Files.deleteIfExists(output);
        }
    }
}
