package io.freehold.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The boot benchmark's smoke run, part of {@code mvn verify}: one boot of the tiny image (fetching it, too) through the
 * API on the host's libvirt daemon, so that the harness keeps working and prints its figures.
 * It checks that the guest came up and printed its seed's instance id on the console read through the API, never how
 * fast. Needs libvirtd and the tiny image, which scripts/test.sh provides (FREEHOLD_TEST_LIBVIRTD,
 * FREEHOLD_TEST_TINY_IMAGE_DIR); without them it is skipped, unless scripts/test.sh said it provided them.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class BootBenchmarkSmokeIT {

    @Test
    void oneBootOfTheTinyImageReachesItsConsoleLineThroughTheApi() throws Exception {
        String dir = System.getenv("FREEHOLD_TEST_TINY_IMAGE_DIR");
        boolean provided = System.getenv("FREEHOLD_TEST_LIBVIRTD") != null;
        if (dir == null || !Files.isRegularFile(Path.of(dir, "vmlinuz"))) {
            if (provided) {
                fail("scripts/test.sh started libvirtd but FREEHOLD_TEST_TINY_IMAGE_DIR holds no tiny image: " + dir);
            }
            assumeTrue(false, "no libvirtd and tiny image from scripts/test.sh");
        }
        Path controlPlane = Path.of(System.getProperty("freehold.jar", "../control-plane/target/freehold-control-plane.jar"));
        Path agent = Path.of(System.getProperty("freehold.agent.jar", "../agent/target/freehold-agent.jar"));

        BootBenchmark.Result result = BootBenchmark.run(new BootBenchmark.Plan(1, false, Path.of(dir), "console=ttyS0 quiet", controlPlane, agent, null), System.out);

        assertThat(result.complete()).as("%s", result).isTrue();
        assertThat(result.boots()).hasSize(1);
    }
}
