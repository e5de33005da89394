package io.freehold.controlplane.localagent;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.freehold.controlplane.testing.ApiClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Issue 5's "done when", through REST in all-in-one mode: an instance goes PENDING → RUNNING → STOPPED →
 * RUNNING → deleted, its status telling the truth at each step, on the packaged control plane and the
 * real agent jar it runs, which fetches the instance's image over its mutual-TLS link and carries the commands
 * out on libvirt's test driver (a real qcow2 disk and seed, a domain libvirt defines and starts, no guest CPU).
 * {@link AllInOneBootIT} is the same life with a real guest booting under QEMU.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class AllInOneInstanceIT {

    @TempDir
    Path home;
    @TempDir
    Path logs;
    @TempDir
    Path files;

    @Test
    void anInstanceRunsStopsStartsAndIsDeletedThroughRest() throws Exception {
        // The test driver boots nothing: any bytes do as a kernel and an initrd, as long as they arrive intact.
        Path kernel = Files.write(files.resolve("vmlinuz"), "not a kernel: the test driver runs no guest".getBytes());
        Path initrd = Files.write(files.resolve("initrd.img"), new byte[300_000]);
        try (AllInOneCloud cloud = AllInOneCloud.start(home, logs.resolve("control-plane.log"), "test:///default", "5s")) {
            ApiClient api = cloud.api();
            String image = cloud.uploadKernelImage("empty", kernel, initrd);

            JsonNode created = api.post("/api/v1/instances", cloud.token(), Map.of("name", "web-1", "flavorId", cloud.flavor(),
                    "imageRef", "empty")).expect(202).json();
            String path = "/api/v1/instances/" + created.path("id").asString();
            assertThat(created.path("status").path("phase").asString()).isEqualTo("PENDING");
            assertThat(created.path("spec").path("imageRef").asString()).as("the name, resolved to the image's id").isEqualTo(image);

            assertThat(cloud.await(path, "RUNNING", 1).path("hostId").asString()).isNotBlank();
            api.post(path + "/stop", cloud.token(), null).expect(202);
            cloud.await(path, "STOPPED", 2);
            api.post(path + "/start", cloud.token(), null).expect(202);
            cloud.await(path, "RUNNING", 3);
            Path guests = home.resolve("local-agent").resolve("guests");
            Path directory = guests.resolve(created.path("id").asString());
            assertThat(directory.resolve("root.qcow2")).as("the guest's root disk").exists();
            assertThat(directory.resolve("seed.iso")).as("the guest's cloud-init seed").exists();
            assertThat(guests.resolve("images").resolve(AllInOneCloud.sha256(kernel))).as("the kernel, fetched and kept by its SHA-256")
                    .hasSameBinaryContentAs(kernel);
            assertThat(awaitFacts(cloud, path, 4)).as("what the host observed, recorded once each, at the control plane's time")
                    .containsExactly("provisioned", "started", "stopped", "started");
            api.delete("/api/v1/images/" + image, cloud.token()).expect(409);

            cloud.deleteAndAwaitGone(path);
            assertThat(directory).as("the guest's directory, after the host confirmed the delete").doesNotExist();
            api.delete("/api/v1/images/" + image, cloud.token()).expect(204);
        }
    }

    /** The instance's lifecycle facts once there are {@code count}; reports travel apart from command answers. */
    private static List<String> awaitFacts(AllInOneCloud cloud, String path, int count) throws Exception {
        long deadline = System.nanoTime() + AllInOneCloud.STEP_LIMIT.toNanos();
        while (true) {
            JsonNode facts = cloud.api().get(path + "/lifecycle-events", cloud.token()).expect(200).json().path("items");
            if (facts.size() >= count || System.nanoTime() > deadline) {
                facts.valueStream().forEach(fact -> assertThat(fact.path("occurredAt").asString()).as("whole seconds").doesNotContain("."));
                return facts.valueStream().map(fact -> fact.path("event").asString()).toList();
            }
            Thread.sleep(200);
        }
    }
}
