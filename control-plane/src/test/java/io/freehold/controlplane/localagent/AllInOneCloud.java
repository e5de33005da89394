package io.freehold.controlplane.localagent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.freehold.controlplane.testing.ApiClient;
import io.freehold.controlplane.testing.ControlPlaneProcess;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The packaged control plane in all-in-one mode (its embedded PostgreSQL and local agent) with a tenant whose member
 * works through REST, as the tenant guide's newcomer does: what the all-in-one end-to-end tests share.
 */
final class AllInOneCloud implements AutoCloseable {

    static final Duration STEP_LIMIT = Duration.ofSeconds(90);

    private final ControlPlaneProcess running;
    private final Map<String, String> environment;
    private final String tenant;
    private final ApiClient api;
    private final String admin;
    private final String token;
    private final String flavor;

    private AllInOneCloud(ControlPlaneProcess running, Map<String, String> environment) throws Exception {
        this.running = running;
        this.environment = Map.copyOf(environment);
        this.api = running.api();
        this.admin = running.adminToken();
        awaitReadyHost();
        String tenant = api.post("/api/v1/ops/tenants", admin, Map.of("name", "Acme", "slug", "acme")).expect(201).text("id");
        String user = api.post("/api/v1/users?tenant=" + tenant, admin, Map.of("email", "dev@acme.test", "name", "Dev", "role", "tenant-member"))
                .expect(201).text("id");
        this.tenant = tenant;
        this.token = api.post("/api/v1/users/" + user + "/tokens", admin, Map.of("name", "it")).expect(201).text("token");
        this.flavor = api.post("/api/v1/ops/flavors", admin, Map.of("name", "tiny", "vcpus", 1, "memoryMib", 256, "rootDiskGib", 1))
                .expect(201).text("id");
    }

    /** The same installation, tenant and flavor, served by {@code running}: after {@link #restart}. */
    private AllInOneCloud(ControlPlaneProcess running, Map<String, String> environment, AllInOneCloud before, boolean awaitHost)
            throws Exception {
        this.running = running;
        this.environment = Map.copyOf(environment);
        this.api = running.api();
        this.admin = before.admin;
        this.tenant = before.tenant;
        this.token = before.token;
        this.flavor = before.flavor;
        if (awaitHost) {
            awaitReadyHost();
        }
    }

    /** A control plane whose local agent drives {@code libvirtUri}; stop timeouts of {@code stopTimeout}. */
    static AllInOneCloud start(Path home, Path log, String libvirtUri, String stopTimeout) throws Exception {
        return start(home, log, libvirtUri, stopTimeout, Map.of());
    }

    /** As {@link #start(Path, Path, String, String)}, with more of the control plane's environment. */
    static AllInOneCloud start(Path home, Path log, String libvirtUri, String stopTimeout, Map<String, String> extraEnvironment)
            throws Exception {
        Map<String, String> environment = new HashMap<>(extraEnvironment);
        environment.put("FREEHOLD_AGENT_JAR", ControlPlaneProcess.jar("freehold.agent.jar", "../agent/target/freehold-agent.jar").toString());
        environment.put("FREEHOLD_LIBVIRT_URI", libvirtUri);
        environment.put("FREEHOLD_COMPUTE_STOP_TIMEOUT", stopTimeout);
        ControlPlaneProcess running = ControlPlaneProcess.start(home, log, environment);
        try {
            return new AllInOneCloud(running, environment);
        } catch (Exception | AssertionError e) {
            stop(running);
            throw e;
        }
    }

    /**
     * Stops this control plane (its agent and database with it) and starts it again on the same home, with
     * {@code changed} replacing entries of its environment; the tenant, its token and the flavor stay. With
     * {@code awaitHost}, returns once the local host is READY again.
     */
    AllInOneCloud restart(Map<String, String> changed, boolean awaitHost) throws Exception {
        stop(running);
        Map<String, String> environment = new HashMap<>(this.environment);
        environment.putAll(changed);
        ControlPlaneProcess restarted = ControlPlaneProcess.start(running.home(), running.log(), environment);
        try {
            return new AllInOneCloud(restarted, environment, this, awaitHost);
        } catch (Exception | AssertionError e) {
            stop(restarted);
            throw e;
        }
    }

    ApiClient api() {
        return api;
    }

    String token() {
        return token;
    }

    /** The bootstrap operator's token (ops-admin). */
    String adminToken() {
        return admin;
    }

    String flavor() {
        return flavor;
    }

    /** The tenant's id. */
    String tenant() {
        return tenant;
    }

    Path home() {
        return running.home();
    }

    /** The tenant's own kernel+initrd image, created and both parts uploaded through REST; its id once active. */
    String uploadKernelImage(String name, Path kernel, Path initrd) throws Exception {
        JsonNode image = api.post("/api/v1/images", token, Map.of("name", name, "os", "busybox", "architecture", "x86_64",
                "format", "kernel+initrd", "parts", List.of(Map.of("role", "kernel", "sha256", sha256(kernel)),
                        Map.of("role", "initrd", "sha256", sha256(initrd))))).expect(201).json();
        String id = image.path("id").asString();
        assertThat(image.path("status").asString()).isEqualTo("uploading");
        upload(id, "kernel", kernel);
        JsonNode active = upload(id, "initrd", initrd);
        assertThat(active.path("status").asString()).as("%s", active).isEqualTo("active");
        return id;
    }

    /**
     * A kernel+initrd image for libvirt's test driver, which boots nothing: any bytes do, as long as they arrive
     * intact. Written under {@code directory}, then uploaded like {@link #uploadKernelImage}; its id once active.
     */
    String uploadTestDriverImage(String name, Path directory) throws Exception {
        Path kernel = Files.write(directory.resolve("vmlinuz"), "not a kernel: the test driver runs no guest".getBytes());
        Path initrd = Files.write(directory.resolve("initrd.img"), new byte[300_000]);
        return uploadKernelImage(name, kernel, initrd);
    }

    private JsonNode upload(String imageId, String role, Path file) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(api.base() + "/api/v1/images/" + imageId + "/parts/" + role))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofFile(file)).build();
        HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("PUT %s part %s: %s", imageId, role, response.body()).isEqualTo(200);
        return JsonMapper.builder().build().readTree(response.body());
    }

    static String sha256(Path file) throws IOException, NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }

    /** Waits for the phase with {@code observedGeneration} caught up; FAILED on the way fails the test. */
    JsonNode await(String path, String phase, long generation) throws Exception {
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
        return fail("no " + phase + " at generation " + generation + " within " + STEP_LIMIT + "\n" + diagnostics(path));
    }

    /**
     * When the phase at {@code generation} was first seen, polling every 50 ms: the tenant's stopwatch
     * ({@link System#nanoTime}). FAILED on the way fails the test.
     */
    long firstSeen(String path, String phase, long generation) throws Exception {
        long deadline = System.nanoTime() + STEP_LIMIT.toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode status = api.get(path, token).expect(200).json().path("status");
            if (status.path("phase").asString().equals("FAILED")) {
                fail("the instance FAILED on the way to " + phase + "\n" + diagnostics(path));
            }
            if (status.path("phase").asString().equals(phase) && status.path("observedGeneration").asLong() == generation) {
                return System.nanoTime();
            }
            Thread.sleep(50);
        }
        return fail("no " + phase + " at generation " + generation + " within " + STEP_LIMIT + "\n" + diagnostics(path));
    }

    /** Deletes the instance and waits until the API no longer knows it. */
    void deleteAndAwaitGone(String path) throws Exception {
        api.delete(path, token).expect(202);
        long deadline = System.nanoTime() + STEP_LIMIT.toNanos();
        while (api.get(path, token).status() != 404) {
            if (System.nanoTime() > deadline) {
                fail("the instance was not removed within " + STEP_LIMIT + "\n" + diagnostics(path));
            }
            Thread.sleep(200);
        }
    }

    String diagnostics(String path) {
        String agentLog;
        try {
            List<String> lines = Files.readAllLines(running.home().resolve("local-agent").resolve("agent.log"));
            agentLog = String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            agentLog = "(none: " + e + ")";
        }
        return "instance: " + api.get(path, token).body() + "\ncontrol plane:\n" + running.output() + "\nagent:\n" + agentLog;
    }

    private void awaitReadyHost() throws InterruptedException {
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

    /** What {@code virsh} says, with its exit status; the test driver's domains live inside the agent, out of its sight. */
    static String virsh(String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("virsh", "-c", "qemu:///system"));
        command.addAll(List.of(arguments));
        Process virsh = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(virsh.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        return virsh.waitFor() + " " + output;
    }

    /**
     * Skips without libvirtd unless scripts/test.sh says it started one (FREEHOLD_TEST_LIBVIRTD): then its absence is
     * a failure.
     */
    static void requireSystemLibvirt() throws Exception {
        String netInfo = virsh("net-info", "default");
        boolean usable = netInfo.startsWith("0 ") && netInfo.matches("(?s).*Active:\\s+yes.*");
        if (!usable && System.getenv("FREEHOLD_TEST_LIBVIRTD") != null) {
            fail("qemu:///system or its 'default' network is not usable, though scripts/test.sh started them: " + netInfo);
        }
        assumeTrue(usable, "no libvirt daemon with an active 'default' network at qemu:///system: " + netInfo);
    }

    @Override
    public void close() throws InterruptedException {
        stop(running);
    }

    private static void stop(ControlPlaneProcess running) throws InterruptedException {
        if (running.process().isAlive()) {
            running.process().destroy();
            if (!running.process().waitFor(30, TimeUnit.SECONDS)) {
                running.process().destroyForcibly();
            }
        }
    }
}
