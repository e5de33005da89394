package io.freehold.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.freehold.agent.testing.TestCertificateAuthority;
import io.freehold.agent.testing.TestControlPlane;
import io.freehold.agent.testing.TestControlPlane.Received;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent as its own process, stopped with SIGTERM as systemd stops it. */
class ShutdownTest {

    private static final TestCertificateAuthority CA = new TestCertificateAuthority("Freehold agent CA shutdown-test");

    @TempDir
    Path tmp;

    @Test
    void sigtermEndsTheSessionCleanlyAndExits() throws Exception {
        try (TestControlPlane server = new TestControlPlane(CA, Duration.ofMillis(200), Duration.ofHours(1)).start()) {
            Path state = tmp.resolve("state");
            Path config = Files.writeString(tmp.resolve("agent.yaml"), """
                    state_dir: %s
                    libvirt_uri: test:///default
                    metrics_address: 127.0.0.1:0
                    """.formatted(state));
            StringWriter err = new StringWriter();
            assertThat(FreeholdAgent.commandLine().setErr(new PrintWriter(err, true)).setOut(new PrintWriter(new StringWriter()))
                    .execute("join", "--server", server.address(), "--token", TestControlPlane.TOKEN, "--ca-hash", CA.hash(),
                            "--config", config.toString())).as(err.toString()).isZero();
            Path log = tmp.resolve("agent.log");
            Process agent = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), FreeholdAgent.class.getName(), "run", "--config", config.toString()))
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            try {
                Received hello = server.received().poll(20, TimeUnit.SECONDS);
                assertThat(hello).as("a Hello from the agent process; its log:%n%s", read(log)).isNotNull();
                assertThat(hello.message().hasHello()).isTrue();

                agent.destroy();

                assertThat(agent.waitFor(15, TimeUnit.SECONDS)).as("exited after SIGTERM").isTrue();
                await().atMost(5, TimeUnit.SECONDS).until(() -> server.completedStreams() == 1);
                assertThat(read(log)).contains("agent stopping").contains("agent stopped")
                        .contains("host_id=" + TestControlPlane.HOST_ID);
            } finally {
                agent.destroyForcibly();
            }
        }
    }

    private static String read(Path file) throws Exception {
        return new File(file.toString()).exists() ? Files.readString(file) : "";
    }
}
