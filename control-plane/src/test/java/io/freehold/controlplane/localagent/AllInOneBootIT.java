package io.freehold.controlplane.localagent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.freehold.controlplane.localagent.decision.LocalHypervisor;
import io.freehold.controlplane.testing.ApiClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Issue 6's end-to-end test, on the host's real libvirt daemon with QEMU in software emulation: through REST in
 * all-in-one mode a tenant uploads the project's tiny image (scripts/lib/tiny-image.sh, built by scripts/test.sh),
 * creates an instance with an SSH key, sees it RUNNING and reads, on its serial console through the API, what the
 * guest's init found on its cloud-init seed: its hostname, its instance id and the key. Then stop, start and delete,
 * after which nothing of the guest is left on the host; and a kernel QEMU cannot load makes the instance FAILED with
 * QEMU's reason.
 *
 * <p>The control plane's home lives under /var/tmp: QEMU runs as libvirt-qemu and must traverse to what it opens.
 */
@Timeout(value = 8, unit = TimeUnit.MINUTES)
class AllInOneBootIT {

    private static final String KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFreeholdTinyImageTestKeyOnlyXXXXXXXXXXXXXX dev@acme.test";
    private static final Duration CONSOLE_LIMIT = Duration.ofSeconds(90);

    @TempDir
    Path logs;

    private Path home;
    private Path tinyImage;
    private final List<String> instances = new java.util.ArrayList<>();

    @BeforeEach
    void prepare() throws Exception {
        AllInOneCloud.requireSystemLibvirt();
        String dir = System.getenv("FREEHOLD_TEST_TINY_IMAGE_DIR");
        if (dir == null && System.getenv("FREEHOLD_TEST_LIBVIRTD") != null) {
            fail("scripts/test.sh started libvirtd but exported no FREEHOLD_TEST_TINY_IMAGE_DIR");
        }
        assumeTrue(dir != null, "no tiny image (FREEHOLD_TEST_TINY_IMAGE_DIR); scripts/test.sh builds it");
        tinyImage = Path.of(dir);
        home = Files.createTempDirectory(Path.of("/var/tmp"), "freehold-boot-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx--x--x")));
    }

    @AfterEach
    void cleanUp() throws Exception {
        // A test that failed half-way leaves its domains to the daemon, which outlives the agent.
        for (String instance : instances) {
            AllInOneCloud.virsh("destroy", instance);
            AllInOneCloud.virsh("undefine", instance);
        }
        if (home != null) {
            try (Stream<Path> files = Files.walk(home)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    @Test
    void theTinyImageBootsWithItsSeedAndItsConsoleIsReadThroughTheApi() throws Exception {
        try (AllInOneCloud cloud = AllInOneCloud.start(home, logs.resolve("control-plane.log"), "qemu:///system", "30s")) {
            ApiClient api = cloud.api();
            cloud.uploadKernelImage("tiny", tinyImage.resolve("vmlinuz"), tinyImage.resolve("initrd.img"));
            String id = api.post("/api/v1/instances", cloud.token(), Map.of("name", "web-1", "flavorId", cloud.flavor(), "imageRef", "tiny",
                    "sshKeys", List.of(KEY), "userData", "#!/bin/sh\necho hello from user data\n")).expect(202).text("id");
            instances.add(id);
            String path = "/api/v1/instances/" + id;

            cloud.await(path, "RUNNING", 1);
            assertThat(AllInOneCloud.virsh("domstate", id)).isEqualTo("0 running");
            awaitConsole(cloud, path, "freehold-tiny hostname=web-1", "freehold-tiny instance-id=" + id, "freehold-tiny ssh-key=" + KEY);

            api.post(path + "/stop", cloud.token(), null).expect(202);
            cloud.await(path, "STOPPED", 2);
            assertThat(AllInOneCloud.virsh("domstate", id)).isEqualTo("0 shut off");
            api.post(path + "/start", cloud.token(), null).expect(202);
            cloud.await(path, "RUNNING", 3);
            awaitConsole(cloud, path, "freehold-tiny instance-id=" + id);

            Path directory = LocalHypervisor.SYSTEM_GUEST_STORAGE.resolve(id);
            assertThat(directory.resolve("root.qcow2")).exists();
            assertThat(directory.resolve("seed.iso")).exists();
            cloud.deleteAndAwaitGone(path);
            assertThat(AllInOneCloud.virsh("domstate", id)).as("the domain").doesNotStartWith("0 ");
            assertThat(directory).as("the overlay, the seed and the console log, with their directory").doesNotExist();
        }
    }

    @Test
    void aKernelQemuCannotLoadMakesTheInstanceFailedWithQemusReason() throws Exception {
        Path unbootable = Files.createDirectories(home.resolve("unbootable"));
        Path kernel = Files.writeString(unbootable.resolve("vmlinuz"), "this is no kernel");
        try (AllInOneCloud cloud = AllInOneCloud.start(home.resolve("cp"), logs.resolve("control-plane.log"), "qemu:///system", "5s")) {
            cloud.uploadKernelImage("broken", kernel, tinyImage.resolve("initrd.img"));
            String id = cloud.api().post("/api/v1/instances", cloud.token(), Map.of("name", "broken-1", "flavorId", cloud.flavor(),
                    "imageRef", "broken")).expect(202).text("id");
            instances.add(id);
            String path = "/api/v1/instances/" + id;

            long deadline = System.nanoTime() + AllInOneCloud.STEP_LIMIT.toNanos();
            JsonNode status = cloud.api().get(path, cloud.token()).expect(200).json().path("status");
            while (!status.path("phase").asString().equals("FAILED")) {
                assertThat(status.path("phase").asString()).as("%s", status).isNotEqualTo("RUNNING");
                if (System.nanoTime() > deadline) {
                    fail("not FAILED within " + AllInOneCloud.STEP_LIMIT + "\n" + cloud.diagnostics(path));
                }
                Thread.sleep(200);
                status = cloud.api().get(path, cloud.token()).expect(200).json().path("status");
            }
            JsonNode ready = status.path("conditions").valueStream().filter(c -> c.path("type").asString().equals("Ready")).findFirst()
                    .orElseThrow();
            assertThat(ready.path("status").asString()).isEqualTo("False");
            assertThat(ready.path("message").asString()).as("QEMU's own words, as libvirt passed them on").containsIgnoringCase("kernel");
        }
    }

    /** Reads the console through the API until it holds every line, as the guest's init prints them. */
    private static void awaitConsole(AllInOneCloud cloud, String path, String... lines) throws Exception {
        long deadline = System.nanoTime() + CONSOLE_LIMIT.toNanos();
        String output = "";
        while (System.nanoTime() < deadline) {
            JsonNode console = cloud.api().get(path + "/console", cloud.token()).expect(200).json();
            output = console.path("output").asString();
            List<String> printed = output.lines().map(String::strip).toList();
            if (printed.containsAll(List.of(lines))) {
                return;
            }
            Thread.sleep(500);
        }
        fail("the console did not show " + List.of(lines) + " within " + CONSOLE_LIMIT + "; it shows:\n" + output + "\n"
                + cloud.diagnostics(path));
    }
}
