package io.freehold.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.freehold.agent.testing.TestCertificateAuthority;
import io.freehold.agent.testing.TestControlPlane;
import io.freehold.agent.testing.TestControlPlane.Received;
import io.freehold.agent.v1.HostFacts;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent as its own process: stopped with SIGTERM as systemd stops it, and on a host without libvirt. */
class AgentProcessTest {

    private static final TestCertificateAuthority CA = new TestCertificateAuthority("Freehold agent CA process-test");

    @TempDir
    Path tmp;

    private TestControlPlane server;
    private Path config;

    @BeforeEach
    void start() throws Exception {
        server = new TestControlPlane(CA, Duration.ofMillis(200), Duration.ofHours(1)).start();
        config = Files.writeString(tmp.resolve("agent.yaml"), """
                state_dir: %s
                libvirt_uri: test:///default
                metrics_address: 127.0.0.1:0
                """.formatted(tmp.resolve("state")));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void sigtermEndsTheSessionCleanlyAndExits() throws Exception {
        StringWriter err = new StringWriter();
        assertThat(FreeholdAgent.commandLine().setErr(new PrintWriter(err, true)).setOut(new PrintWriter(new StringWriter()))
                .execute("join", "--server", server.address(), "--token", TestControlPlane.TOKEN, "--ca-hash", CA.hash(),
                        "--config", config.toString())).as(err.toString()).isZero();
        Path log = tmp.resolve("agent.log");
        Process agent = agentProcess(List.of(), log, "run", "--config", config.toString());
        try {
            Received hello = server.received().poll(20, TimeUnit.SECONDS);
            assertThat(hello).as("a Hello from the agent process; its log:%n%s", read(log)).isNotNull();
            assertThat(hello.message().hasHello()).isTrue();

            agent.destroy();

            assertThat(agent.waitFor(15, TimeUnit.SECONDS)).as("exited after SIGTERM").isTrue();
            await().atMost(5, TimeUnit.SECONDS).until(() -> server.completedStreams() == 1);
            assertThat(read(log)).contains("agent stopping").contains("agent stopped").contains("host_id=" + TestControlPlane.HOST_ID);
        } finally {
            agent.destroyForcibly();
        }
    }

    @Test
    void withoutTheLibvirtLibraryJoinStillWorksAndSaysWhatIsMissing() throws Exception {
        Path log = tmp.resolve("join.log");
        Path out = tmp.resolve("join.out");
        // JNA finds libvirt.so.0 through these paths; pointing them nowhere is a host without the libvirt0 package.
        Process join = agentProcess(List.of("-Djna.library.path=/nonexistent", "-Djna.platform.library.path=/nonexistent"), log,
                "join", "--server", server.address(), "--token", TestControlPlane.TOKEN, "--ca-hash", CA.hash(),
                "--config", config.toString());
        join.getOutputStream().close();
        String stdout = new String(join.getInputStream().readAllBytes());
        Files.writeString(out, stdout);

        assertThat(join.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(join.exitValue()).as(read(log)).isZero();
        assertThat(stdout.trim()).as("stdout holds only the host id").isEqualTo(TestControlPlane.HOST_ID);
        assertThat(read(log)).contains("libvirt unavailable").contains("install the libvirt0 package");
        HostFacts facts = server.joins().get(0).getFacts();
        assertThat(facts.getLibvirtUri()).isEqualTo("test:///default");
        assertThat(facts.getLibvirtVersion()).isEmpty();
        assertThat(facts.getQemuVersion()).isEmpty();
        assertThat(facts.getCpuThreads()).isPositive();
    }

    /** The agent's main class in a new JVM on this test's class path; stderr (the log) goes to {@code log}. */
    private static Process agentProcess(List<String> jvmOptions, Path log, String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), FreeholdAgent.class.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectError(log.toFile()).start();
    }

    private static String read(Path file) throws Exception {
        return Files.exists(file) ? Files.readString(file) : "";
    }
}
