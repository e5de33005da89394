package io.freehold.controlplane.localagent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import io.freehold.controlplane.testing.ControlPlaneProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * What a newcomer sees after README line 1: one READY host in rack {@code local-r1} with this machine's
 * real facts, measured by the real agent jar the control plane runs. A restart keeps that host instead of
 * joining another, and a control plane killed with SIGKILL leaves an agent behind that the next start
 * stops before it runs its own.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class AllInOneLocalAgentIT {

    /** Join (two JVM starts) and the first Hello, on a loaded 2-core machine. */
    private static final Duration READY_LIMIT = Duration.ofSeconds(60);

    @TempDir
    Path home;
    @TempDir
    Path logs;

    private ControlPlaneProcess running;

    @AfterEach
    void stopWhatIsStillRunning() throws InterruptedException {
        if (running != null && running.process().isAlive()) {
            running.process().destroy();
            if (!running.process().waitFor(30, TimeUnit.SECONDS)) {
                running.process().destroyForcibly();
            }
        }
        localAgents().forEach(ProcessHandle::destroyForcibly);
    }

    @Test
    void theMachineIsOneReadyHostWithItsRealFactsAcrossRestartsAndAKill() throws Exception {
        running = start();
        JsonNode host = awaitTheOneReadyHost();
        String hostId = host.path("id").asString();
        String token = running.adminToken();
        String rackName = running.api().get("/api/v1/ops/racks/" + host.path("rackId").asString(), token).expect(200).text("name");
        assertThat(rackName).isEqualTo("local-r1");
        assertThat(host.path("labels").path("freehold.io/all-in-one").asString()).isEqualTo("true");
        assertRealFacts(host.path("facts"));
        assertThat(localAgents()).as("local agent processes").hasSize(1);

        stop(running);
        assertThat(localAgents()).as("local agents after a SIGTERM of the control plane").isEmpty();

        running = start();
        assertThat(awaitTheOneReadyHost().path("id").asString()).as("the host after a restart").isEqualTo(hostId);
        long agentBeforeTheKill = localAgents().get(0).pid();

        running.process().destroyForcibly();
        running.process().waitFor(30, TimeUnit.SECONDS);
        assertThat(ProcessHandle.of(agentBeforeTheKill).filter(ProcessHandle::isAlive))
                .as("the agent outlives a control plane killed with SIGKILL").isPresent();

        running = start();
        assertThat(awaitTheOneReadyHost().path("id").asString()).as("the host after a SIGKILL and a start").isEqualTo(hostId);
        assertThat(ProcessHandle.of(agentBeforeTheKill).filter(ProcessHandle::isAlive))
                .as("the agent the killed control plane left behind").isEmpty();
        assertThat(localAgents()).as("local agent processes").hasSize(1);
        stop(running);
    }

    private ControlPlaneProcess start() throws IOException, InterruptedException {
        return ControlPlaneProcess.start(home, logs.resolve("control-plane.log"),
                Map.of("FREEHOLD_AGENT_JAR", ControlPlaneProcess.jar("freehold.agent.jar", "../agent/target/freehold-agent.jar").toString()));
    }

    /** Exactly one host exists, and it becomes READY; a second join would show as a second host. */
    private JsonNode awaitTheOneReadyHost() throws IOException, InterruptedException {
        String token = running.adminToken();
        long deadline = System.nanoTime() + READY_LIMIT.toNanos();
        JsonNode hosts = null;
        while (System.nanoTime() < deadline) {
            hosts = running.api().get("/api/v1/ops/hosts", token).expect(200).json().path("items");
            assertThat(hosts.size()).as("hosts: %s", hosts).isLessThanOrEqualTo(1);
            if (hosts.size() == 1 && hosts.get(0).path("state").asString().equals("READY")) {
                return hosts.get(0);
            }
            Thread.sleep(250);
        }
        return fail("no READY local host within " + READY_LIMIT.toSeconds() + " s; hosts: " + hosts + "\ncontrol plane:\n"
                + running.output() + "\nagent:\n" + agentLog());
    }

    /** The facts are this machine's, read here the way an operator would check them. */
    private static void assertRealFacts(JsonNode facts) throws IOException {
        List<String> cpuinfo = Files.readAllLines(Path.of("/proc/cpuinfo"));
        long processors = cpuinfo.stream().filter(line -> line.startsWith("processor")).count();
        long memTotalKib = Files.readAllLines(Path.of("/proc/meminfo")).stream()
                .filter(line -> line.startsWith("MemTotal:"))
                .mapToLong(line -> Long.parseLong(line.replaceAll("\\D", "")))
                .findFirst().orElseThrow();
        assertThat(facts.path("cpuThreads").asLong()).isEqualTo(processors);
        assertThat(facts.path("memoryBytes").asLong()).isEqualTo(memTotalKib * 1024);
        assertThat(facts.path("hostname").asString()).isEqualTo(Files.readString(Path.of("/proc/sys/kernel/hostname")).strip());
        assertThat(facts.path("bootId").asString()).isEqualTo(Files.readString(Path.of("/proc/sys/kernel/random/boot_id")).strip());
        assertThat(facts.path("storageBytes").asLong()).isPositive();
        assertThat(facts.path("libvirtUri").asString()).isIn(Set.of("qemu:///system", "qemu:///session", "test:///default"));
    }

    private void stop(ControlPlaneProcess process) throws InterruptedException {
        process.process().destroy();
        assertThat(process.process().waitFor(30, TimeUnit.SECONDS)).as("the control plane exits within 30 s of SIGTERM").isTrue();
    }

    /** Agent processes running this test's config, whoever started them. */
    private List<ProcessHandle> localAgents() {
        String config = home.resolve("local-agent").resolve("agent.yaml").toString();
        return ProcessHandle.allProcesses()
                .filter(process -> process.info().arguments().map(List::of).orElse(List.of()).contains(config))
                .toList();
    }

    private String agentLog() {
        try {
            return Files.readString(home.resolve("local-agent").resolve("agent.log"));
        } catch (IOException e) {
            return "(none: " + e + ")";
        }
    }
}
