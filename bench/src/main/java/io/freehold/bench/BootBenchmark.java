package io.freehold.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tools.jackson.databind.JsonNode;

/**
 * Issue 6's boot benchmark: how long a tenant waits, through the API, for a real guest. The packaged control plane in
 * all-in-one mode, its local agent on the host's libvirt daemon (QEMU in software emulation here), and the project's
 * tiny image uploaded once and cached on the host by a first boot that is not counted. Then, one boot at a time: the
 * time from just before {@code POST /api/v1/instances} to the read that shows it RUNNING, and to the console read, through
 * {@code GET /api/v1/instances/{id}/console}, that shows the guest's {@code freehold-tiny instance-id=} line — which the
 * guest's init prints after reading its cloud-init seed. Each instance is deleted before the next boot.
 *
 * <p>Reads are every 100 ms (status) and 250 ms (console), so each figure is late by up to that much, never early.
 */
@Command(name = "freehold-boot-bench", mixinStandardHelpOptions = true,
        description = "Boots the tiny image through the API, one instance at a time, and prints API -> RUNNING and API -> console line.")
public final class BootBenchmark implements Callable<Integer> {

    private static final Duration STARTUP_LIMIT = Duration.ofMinutes(3);
    private static final Duration BOOT_LIMIT = Duration.ofMinutes(3);
    private static final Map<String, Object> FLAVOR = Map.of("name", "boot-bench", "vcpus", 1, "memoryMib", 256, "rootDiskGib", 1);

    @Option(names = "--boots", description = "Boots measured, after one that caches the image (default: ${DEFAULT-VALUE}).")
    int boots = 10;
    @Option(names = "--tiny-image-dir", description = "Holds vmlinuz and initrd.img (scripts/build-tiny-image.sh; default: ${DEFAULT-VALUE}).")
    Path tinyImageDir = Path.of("/var/lib/freehold/tiny-image");
    @Option(names = "--kernel-cmdline", description = "The tiny image's kernel command line (default: ${DEFAULT-VALUE}); "
            + "without quiet the kernel's messages go through the emulated serial port one byte at a time.")
    String kernelCmdline = "console=ttyS0 quiet";
    @Option(names = "--control-plane-jar", description = "The control plane under test (default: ${DEFAULT-VALUE}).")
    Path controlPlaneJar = Path.of("control-plane/target/freehold-control-plane.jar");
    @Option(names = "--agent-jar", description = "The agent the control plane runs as its local agent (default: ${DEFAULT-VALUE}).")
    Path agentJar = Path.of("agent/target/freehold-agent.jar");
    @Option(names = "--work-dir", description = "Data directory, kept afterwards; it must be where QEMU (libvirt-qemu) may traverse "
            + "(default: a temporary one under /var/tmp, removed).")
    Path workDir;

    /**
     * What one run is to do.
     *
     * @param cacheFirst whether an uncounted first boot fetches the image onto the host, so that the boots measured
     *                   find it cached; without, the first boot measured includes the fetch
     */
    record Plan(int boots, boolean cacheFirst, Path tinyImageDir, String kernelCmdline, Path controlPlaneJar, Path agentJar, Path workDir) {
    }

    /** One boot's times, from just before its POST. */
    record Boot(String instanceId, Duration toRunning, Duration toConsoleLine) {
    }

    /** Every measured boot, in order; {@code complete} when each reached its console line. */
    record Result(List<Boot> boots, boolean complete) {
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new BootBenchmark()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        return run(new Plan(boots, true, tinyImageDir, kernelCmdline, controlPlaneJar, agentJar, workDir), System.out).complete() ? 0 : 1;
    }

    static Result run(Plan plan, PrintStream out) throws Exception {
        Path kernel = plan.tinyImageDir().resolve("vmlinuz");
        Path initrd = plan.tinyImageDir().resolve("initrd.img");
        if (!Files.isRegularFile(kernel) || !Files.isRegularFile(initrd)) {
            throw new IllegalStateException("no tiny image in " + plan.tinyImageDir() + "; build it with scripts/build-tiny-image.sh");
        }
        try (WorkDirectory work = plan.workDir() != null ? WorkDirectory.of(plan.workDir(), "freehold-bench-boot-")
                : WorkDirectory.temporaryUnder(Path.of("/var/tmp"), "freehold-bench-boot-")) {
            traversable(work.path());
            out.printf("freehold boot benchmark, %s%n", DateTimeFormatter.ISO_INSTANT.format(Instant.now().truncatedTo(ChronoUnit.SECONDS)));
            out.printf("machine: %s; load average %s%n", Machine.describe(), Machine.loadAverage());
            out.printf("plan: %d boots%s, one at a time, on qemu:///system; tiny image %s, kernel command line '%s'%n",
                    plan.boots(), plan.cacheFirst() ? " after one that caches the image" : " (the first fetches the image)", plan.tinyImageDir(),
                    plan.kernelCmdline());
            Path home = work.path().resolve("control-plane");
            try (ControlPlaneProcess controlPlane = ControlPlaneProcess.start(plan.controlPlaneJar(), home, List.of(),
                    Map.of("FREEHOLD_AGENT_JAR", plan.agentJar().toAbsolutePath().toString(), "FREEHOLD_LIBVIRT_URI", "qemu:///system"),
                    STARTUP_LIMIT)) {
                traversable(home);
                OpsClient ops = new OpsClient(controlPlane.apiBase(), controlPlane.adminToken());
                awaitReadyHost(ops);
                TenantClient tenant = new TenantClient(controlPlane.apiBase(), tenantToken(ops));
                String flavor = ops.send("POST", "/api/v1/ops/flavors", FLAVOR, 201);
                String image = ops.uploadPublicKernelImage("tiny", Files.readAllBytes(kernel), Files.readAllBytes(initrd),
                        plan.kernelCmdline());
                out.printf("control plane up, one READY host, tiny image %s uploaded (%d + %d bytes)%n", image, Files.size(kernel), Files.size(initrd));

                if (plan.cacheFirst()) {
                    Boot first = boot(tenant, flavor, image, "boot-warm");
                    out.printf("first boot (fetches and caches the image, not counted): RUNNING after %d ms, console line after %d ms%n",
                            first.toRunning().toMillis(), first.toConsoleLine().toMillis());
                }
                List<Boot> measured = new ArrayList<>();
                for (int i = 1; i <= plan.boots(); i++) {
                    Boot boot = boot(tenant, flavor, image, String.format("boot-%03d", i));
                    measured.add(boot);
                    out.printf("  boot %d: RUNNING after %d ms, console line after %d ms%n", i, boot.toRunning().toMillis(),
                            boot.toConsoleLine().toMillis());
                }
                print(measured, out);
                return new Result(measured, measured.size() == plan.boots());
            }
        }
    }

    private static Boot boot(TenantClient tenant, String flavor, String image, String name) throws Exception {
        long start = System.nanoTime();
        String id = tenant.createInstance(name, flavor, image, name + "-" + start);
        long deadline = start + BOOT_LIMIT.toNanos();
        JsonNode status = tenant.status(id);
        while (!"RUNNING".equals(status.path("phase").asString())) {
            if ("FAILED".equals(status.path("phase").asString()) || System.nanoTime() > deadline) {
                throw new IllegalStateException("instance " + id + " did not reach RUNNING: " + status);
            }
            Thread.sleep(100);
            status = tenant.status(id);
        }
        Duration toRunning = Duration.ofNanos(System.nanoTime() - start);
        String line = "freehold-tiny instance-id=" + id;
        while (tenant.console(id).lines().map(String::strip).noneMatch(line::equals)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("instance " + id + " printed no '" + line + "' within " + BOOT_LIMIT);
            }
            Thread.sleep(250);
        }
        Duration toConsole = Duration.ofNanos(System.nanoTime() - start);
        tenant.deleteAndAwaitGone(id, BOOT_LIMIT);
        return new Boot(id, toRunning, toConsole);
    }

    private static void print(List<Boot> boots, PrintStream out) {
        LatencySamples running = new LatencySamples();
        LatencySamples console = new LatencySamples();
        boots.forEach(boot -> {
            running.add(boot.toRunning().toNanos());
            console.add(boot.toConsoleLine().toNanos());
        });
        out.printf("%n== result (%d boots) ==%n", boots.size());
        out.printf("API -> RUNNING:      median %.0f ms, p95 %.0f ms, max %.0f ms%n", running.quantileMillis(0.5), running.quantileMillis(0.95),
                running.quantileMillis(1.0));
        out.printf("API -> console line: median %.0f ms, p95 %.0f ms, max %.0f ms%n", console.quantileMillis(0.5), console.quantileMillis(0.95),
                console.quantileMillis(1.0));
        out.printf("target p95 < 10 s: API -> RUNNING %s, API -> console line %s%n", running.quantileMillis(0.95) < 10_000 ? "met" : "NOT met",
                console.quantileMillis(0.95) < 10_000 ? "met" : "NOT met");
    }

    /** QEMU runs as libvirt-qemu and must traverse to the guests' files under the control plane's home. */
    private static void traversable(Path dir) throws IOException {
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx--x--x"));
    }

    private static void awaitReadyHost(OpsClient ops) throws Exception {
        long deadline = System.nanoTime() + STARTUP_LIMIT.toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode hosts = ops.get("/api/v1/ops/hosts").path("items");
            if (hosts.size() == 1 && "READY".equals(hosts.get(0).path("state").asString())) {
                return;
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("the local agent's host was not READY within " + STARTUP_LIMIT);
    }

    private static String tenantToken(OpsClient ops) throws Exception {
        String tenant = ops.send("POST", "/api/v1/ops/tenants", Map.of("name", "Boot bench", "slug", "boot-bench"), 201);
        String member = ops.send("POST", "/api/v1/users?tenant=" + tenant, Map.of("email", "boots@bench.test", "name", "Boots",
                "role", "tenant-member"), 201);
        return ops.call("POST", "/api/v1/users/" + member + "/tokens", Map.of("name", "bench"), 201).path("token").asString();
    }
}
