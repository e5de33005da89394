package io.freehold.controlplane.localagent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
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
import io.freehold.controlplane.testing.ControlPlaneProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Issue 5's "done when", through REST in all-in-one mode: an instance goes PENDING → RUNNING → STOPPED →
 * RUNNING → deleted, its status telling the truth at each step, on the packaged control plane and the
 * real agent jar it runs, which carries the commands out on libvirt's test driver (a real qcow2 disk, a
 * domain libvirt defines and starts, no guest CPU).
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class AllInOneInstanceIT {

    private static final Duration STEP_LIMIT = Duration.ofSeconds(60);

    @TempDir
    Path tempHome;
    @TempDir
    Path logs;

    private ControlPlaneProcess running;
    private Path home;
    private String instanceId;

    @AfterEach
    void stop() throws InterruptedException {
        if (running != null && running.process().isAlive()) {
            running.process().destroy();
            if (!running.process().waitFor(30, TimeUnit.SECONDS)) {
                running.process().destroyForcibly();
            }
        }
    }

    @Test
    void anInstanceRunsStopsStartsAndIsDeletedThroughRest() throws Exception {
        lifeThroughRest(tempHome, "test:///default");
    }

    /**
     * The same on the host's real libvirt daemon, where the guest is a QEMU process (an empty disk boots to nothing).
     * Its files live under /var/tmp: QEMU runs as libvirt-qemu and must traverse to the disk, which a 0700 JUnit temp
     * dir forbids, and /tmp may be a tmpfs, where the disk's cache=none (O_DIRECT) fails.
     */
    @Test
    void onTheSystemLibvirtDaemonTheGuestIsARealQemuProcess() throws Exception {
        requireSystemLibvirt();
        Path qemuHome = Files.createTempDirectory(Path.of("/var/tmp"), "freehold-all-in-one-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx--x--x")));
        try {
            lifeThroughRest(qemuHome, "qemu:///system");
        } finally {
            stop();
            if (instanceId != null) {
                // A test that failed half-way leaves the domain to the daemon, which outlives the agent.
                new ProcessBuilder("virsh", "-c", "qemu:///system", "destroy", instanceId).start().waitFor();
                new ProcessBuilder("virsh", "-c", "qemu:///system", "undefine", instanceId).start().waitFor();
            }
            try (Stream<Path> files = Files.walk(qemuHome)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    private void lifeThroughRest(Path home, String libvirtUri) throws Exception {
        this.home = home;
        // A guest without an operating system never answers the ACPI power button: stop waits this long, then forces it off.
        running = ControlPlaneProcess.start(home, logs.resolve("control-plane.log"), Map.of(
                "FREEHOLD_AGENT_JAR", ControlPlaneProcess.jar("freehold.agent.jar", "../agent/target/freehold-agent.jar").toString(),
                "FREEHOLD_LIBVIRT_URI", libvirtUri,
                "FREEHOLD_COMPUTE_STOP_TIMEOUT", "5s"));
        ApiClient api = running.api();
        String admin = running.adminToken();
        awaitReadyHost(api, admin);
        String tenant = api.post("/api/v1/ops/tenants", admin, Map.of("name", "Acme", "slug", "acme")).expect(201).text("id");
        String user = api.post("/api/v1/users?tenant=" + tenant, admin, Map.of("email", "dev@acme.test", "name", "Dev", "role", "tenant-member"))
                .expect(201).text("id");
        String token = api.post("/api/v1/users/" + user + "/tokens", admin, Map.of("name", "it")).expect(201).text("token");
        String flavor = api.post("/api/v1/ops/flavors", admin, Map.of("name", "tiny", "vcpus", 1, "memoryMib", 256, "rootDiskGib", 1))
                .expect(201).text("id");

        JsonNode created = api.post("/api/v1/instances", token, Map.of("name", "web-1", "flavorId", flavor, "imageRef", "none")).expect(202)
                .json();
        instanceId = created.path("id").asString();
        String path = "/api/v1/instances/" + instanceId;
        assertThat(created.path("status").path("phase").asString()).isEqualTo("PENDING");

        assertThat(await(api, token, path, "RUNNING", 1).path("hostId").asString()).isNotBlank();
        assertDomainState(libvirtUri, "running");
        api.post(path + "/stop", token, null).expect(202);
        await(api, token, path, "STOPPED", 2);
        assertDomainState(libvirtUri, "shut off");
        api.post(path + "/start", token, null).expect(202);
        await(api, token, path, "RUNNING", 3);
        assertDomainState(libvirtUri, "running");
        Path guests = libvirtUri.startsWith("test:") ? home.resolve("local-agent").resolve("guests") : LocalHypervisor.SYSTEM_GUEST_STORAGE;
        Path disk = guests.resolve(instanceId).resolve("root.qcow2");
        assertThat(disk).as("the guest's root disk").exists();
        assertThat(awaitFacts(api, token, path, 4)).as("what the host observed, recorded once each, at the control plane's time")
                .containsExactly("provisioned", "started", "stopped", "started");

        api.delete(path, token).expect(202);
        long deadline = System.nanoTime() + STEP_LIMIT.toNanos();
        while (api.get(path, token).status() != 404) {
            if (System.nanoTime() > deadline) {
                fail("the instance was not removed within " + STEP_LIMIT + "\n" + diagnostics(api, token, path));
            }
            Thread.sleep(200);
        }
        assertThat(disk.getParent()).as("the guest's directory, after the host confirmed the delete").doesNotExist();
    }

    /** What the daemon says of the guest; the test driver's domains live inside the agent, where virsh cannot see them. */
    private void assertDomainState(String libvirtUri, String expected) throws Exception {
        if (libvirtUri.startsWith("test:")) {
            return;
        }
        Process virsh = new ProcessBuilder("virsh", "-c", libvirtUri, "domstate", instanceId).redirectErrorStream(true).start();
        String state = new String(virsh.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).strip();
        virsh.waitFor();
        assertThat(state).as("virsh domstate %s", instanceId).isEqualTo(expected);
    }

    /**
     * Skips without libvirtd unless scripts/test.sh says it started one (FREEHOLD_TEST_LIBVIRTD): then its absence is
     * a failure.
     */
    private static void requireSystemLibvirt() throws Exception {
        Process virsh = new ProcessBuilder("virsh", "-c", "qemu:///system", "net-info", "default").redirectErrorStream(true).start();
        String output = new String(virsh.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        boolean usable = virsh.waitFor() == 0 && output.matches("(?s).*Active:\\s+yes.*");
        if (!usable && System.getenv("FREEHOLD_TEST_LIBVIRTD") != null) {
            fail("qemu:///system or its 'default' network is not usable, though scripts/test.sh started them: " + output);
        }
        assumeTrue(usable, "no libvirt daemon with an active 'default' network at qemu:///system: " + output);
    }

    /** Waits for the phase with {@code observedGeneration} caught up; the status is checked honest on the way. */
    private JsonNode await(ApiClient api, String token, String path, String phase, long generation) throws Exception {
        long deadline = System.nanoTime() + STEP_LIMIT.toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode instance = api.get(path, token).expect(200).json();
            JsonNode status = instance.path("status");
            assertThat(status.path("phase").asString()).as("%s", instance).isNotEqualTo("FAILED");
            if (status.path("phase").asString().equals(phase) && status.path("observedGeneration").asLong() == generation) {
                assertThat(instance.path("spec").path("generation").asLong()).isEqualTo(generation);
                return status;
            }
            Thread.sleep(200);
        }
        return fail("no " + phase + " at generation " + generation + " within " + STEP_LIMIT + "\n" + diagnostics(api, token, path));
    }

    /** The instance's lifecycle facts once there are {@code count}; reports travel apart from command answers. */
    private List<String> awaitFacts(ApiClient api, String token, String path, int count) throws Exception {
        long deadline = System.nanoTime() + STEP_LIMIT.toNanos();
        while (true) {
            JsonNode facts = api.get(path + "/lifecycle-events", token).expect(200).json().path("items");
            if (facts.size() >= count || System.nanoTime() > deadline) {
                facts.valueStream().forEach(fact -> assertThat(fact.path("occurredAt").asString()).as("whole seconds").doesNotContain("."));
                return facts.valueStream().map(fact -> fact.path("event").asString()).toList();
            }
            Thread.sleep(200);
        }
    }

    private static void awaitReadyHost(ApiClient api, String admin) throws InterruptedException {
        long deadline = System.nanoTime() + STEP_LIMIT.toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode hosts = api.get("/api/v1/ops/hosts", admin).expect(200).json().path("items");
            if (hosts.size() == 1 && hosts.get(0).path("state").asString().equals("READY")) {
                return;
            }
            Thread.sleep(250);
        }
        fail("no READY local host within " + STEP_LIMIT);
    }

    private String diagnostics(ApiClient api, String token, String path) {
        String agentLog;
        try {
            List<String> lines = Files.readAllLines(home.resolve("local-agent").resolve("agent.log"));
            agentLog = String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            agentLog = "(none: " + e + ")";
        }
        return "instance: " + api.get(path, token).body() + "\ncontrol plane:\n" + running.output() + "\nagent:\n" + agentLog;
    }
}
