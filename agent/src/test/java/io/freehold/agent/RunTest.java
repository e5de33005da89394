package io.freehold.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import io.freehold.agent.config.AgentConfig;
import io.freehold.agent.config.AgentConfigReader;
import io.freehold.agent.identity.StateDirectory;
import io.freehold.agent.testing.TestCertificateAuthority;
import io.freehold.agent.testing.TestControlPlane;
import io.freehold.agent.testing.TestControlPlane.Received;
import io.freehold.agent.v1.AgentMessage;
import io.freehold.agent.v1.ImagePart;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code freehold-agent run} in this JVM against a real gRPC server over real mutual TLS on loopback: the session
 * protocol, reconnection, renewal and refusal of a server from another CA.
 */
class RunTest {

    private static final TestCertificateAuthority CA = new TestCertificateAuthority("Freehold agent CA run-test");
    private static final TestCertificateAuthority OTHER_CA = new TestCertificateAuthority("Impostor CA");
    private static final Duration HEARTBEAT = Duration.ofMillis(200);

    @TempDir
    Path tmp;

    private final List<AutoCloseable> closeLast = new ArrayList<>();
    private Agent agent;

    @AfterEach
    void stop() throws Exception {
        if (agent != null) {
            agent.close();
        }
        for (AutoCloseable closeable : closeLast) {
            closeable.close();
        }
    }

    @Test
    void saysHelloThenSendsHeartbeatsAtTheIntervalFromWelcome() throws Exception {
        TestControlPlane server = server(CA, Duration.ofHours(1));
        joined(server);

        agent = Agent.start(config(List.of(server.address())));

        Received hello = next(server);
        assertThat(hello.message().getBodyCase()).isEqualTo(AgentMessage.BodyCase.HELLO);
        assertThat(hello.certificateHostId()).isEqualTo(TestControlPlane.HOST_ID);
        assertThat(hello.message().getHello().getLastAppliedSeq()).isZero();
        assertThat(hello.message().getHello().getFacts().getIncarnationId()).isNotBlank();
        assertThat(hello.message().getHello().getFacts().getCpuThreads()).isPositive();
        List<Received> heartbeats = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            Received heartbeat = next(server);
            assertThat(heartbeat.message().getBodyCase()).isEqualTo(AgentMessage.BodyCase.HEARTBEAT);
            heartbeats.add(heartbeat);
        }
        Duration span = Duration.between(heartbeats.get(0).at(), heartbeats.get(5).at());
        assertThat(span).as("five intervals of 200 ms").isBetween(Duration.ofMillis(750), Duration.ofMillis(2000));
        assertThat(Duration.between(hello.at(), heartbeats.get(0).at())).isBetween(Duration.ofMillis(100), Duration.ofMillis(1000));
        assertThat(heartbeats.get(0).message().getHeartbeat().getFreeMemoryBytes()).isPositive();
        assertThat(heartbeats.get(0).message().getHeartbeat().getGuestCount()).isEqualTo(1);

        String metrics = scrape(agent.metricsPort());
        assertThat(metrics).contains("freehold_agent_connected 1.0")
                .containsPattern("freehold_agent_heartbeats_sent_total [1-9]")
                .contains("freehold_agent_certificate_expiry_timestamp_seconds")
                .contains("freehold_agent_hello_welcome_latency_seconds_count 1")
                .contains("freehold_agent_reconnects_total 0.0");
    }

    @Test
    void reconnectsWithBackoffAfterTheServerRestartsAndSaysHelloAgain() throws Exception {
        TestControlPlane server = server(CA, Duration.ofHours(1));
        joined(server);
        // The first address never answers: the agent must rotate past it, before and after the outage.
        agent = Agent.start(config(List.of("127.0.0.1:" + closedPort(), server.address())));
        assertThat(untilHello(server).message().getHello().getFacts().getIncarnationId()).isNotBlank();
        await().atMost(5, TimeUnit.SECONDS).until(() -> scrape(agent.metricsPort()).contains("freehold_agent_connected 1.0"));

        server.stop();
        await().atMost(5, TimeUnit.SECONDS).until(() -> scrape(agent.metricsPort()).contains("freehold_agent_connected 0.0"));
        server.received().clear();
        server.startOn(server.port());

        Received again = untilHello(server);
        assertThat(again.certificateHostId()).isEqualTo(TestControlPlane.HOST_ID);
        await().atMost(5, TimeUnit.SECONDS).until(() -> scrape(agent.metricsPort()).contains("freehold_agent_connected 1.0"));
        assertThat(scrape(agent.metricsPort())).containsPattern("freehold_agent_reconnects_total [1-9]")
                .contains("freehold_agent_session_duration_seconds_count 1");
    }

    @Test
    void renewalReplacesTheCertificateOnDiskAndTheNextConnectionUsesIt() throws Exception {
        // Short enough to renew within the test, long enough that a loaded build machine still connects with the join's
        // certificate (renewal comes at two thirds of it).
        TestControlPlane server = server(CA, Duration.ofSeconds(6));
        joined(server);
        StateDirectory state = new StateDirectory(tmp.resolve("state"));
        X509Certificate joinedCertificate = state.load().certificate();
        String joinedKey = Files.readString(state.currentKeyFile());
        agent = Agent.start(config(List.of(server.address())));
        assertThat(untilHello(server).certificate()).isEqualTo(joinedCertificate);

        await().atMost(10, TimeUnit.SECONDS).until(() -> !state.load().certificate().equals(joinedCertificate));

        X509Certificate renewed = state.load().certificate();
        assertThat(server.issued()).contains(renewed);
        assertThat(Files.readString(state.currentKeyFile())).isNotEqualTo(joinedKey);
        assertThat(server.received()).anyMatch(r -> r.message().hasRenewRequest());
        server.stop();
        server.received().clear();
        server.startOn(server.port());
        Received hello = untilHello(server);
        assertThat(hello.certificate()).isNotEqualTo(joinedCertificate);
        assertThat(server.issued().subList(1, server.issued().size())).contains(hello.certificate());
    }

    @Test
    void refusesAServerWhoseCertificateIsFromAnotherCa() throws Exception {
        TestControlPlane server = server(CA, Duration.ofHours(1));
        joined(server);
        TestControlPlane impostor = server(OTHER_CA, Duration.ofHours(1));

        agent = Agent.start(config(List.of(impostor.address())));

        await().atMost(10, TimeUnit.SECONDS).until(() -> scrape(agent.metricsPort()).matches("(?s).*freehold_agent_reconnects_total [2-9].*"));
        assertThat(impostor.connectCalls()).as("no RPC ever reached the impostor").isZero();
        assertThat(impostor.received()).isEmpty();
        assertThat(scrape(agent.metricsPort())).contains("freehold_agent_connected 0.0");
    }

    @Test
    void fetchesImagePartsOverTheSessionsMutualTlsConnection() throws Exception {
        TestControlPlane server = server(CA, Duration.ofHours(1));
        joined(server);
        byte[] bytes = new byte[300 * 1024 + 7];
        new Random(42).nextBytes(bytes);
        String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        server.serveImagePart(sha256, bytes);
        agent = Agent.start(config(List.of(server.address())));
        untilHello(server);

        Path file = agent.images().local(ImagePart.newBuilder().setSha256(sha256).setSizeBytes(bytes.length).build());

        assertThat(file).isEqualTo(tmp.resolve("state").resolve("guests").resolve("images").resolve(sha256));
        assertThat(Files.readAllBytes(file)).isEqualTo(bytes);
        assertThat(server.imageFetches()).extracting(TestControlPlane.ImageFetch::certificateHostId)
                .containsExactly(TestControlPlane.HOST_ID);
        assertThat(scrape(agent.metricsPort())).contains("freehold_agent_image_fetches_total{outcome=\"ok\"} 1.0")
                .contains("freehold_agent_image_fetched_bytes_total " + bytes.length + ".0");
    }

    @Test
    void closingTheAgentCompletesTheStreamCleanly() throws Exception {
        TestControlPlane server = server(CA, Duration.ofHours(1));
        joined(server);
        agent = Agent.start(config(List.of(server.address())));
        untilHello(server);

        agent.close();

        assertThat(server.completedStreams()).isEqualTo(1);
    }

    private TestControlPlane server(TestCertificateAuthority ca, Duration clientCertificateLifetime) {
        TestControlPlane server = new TestControlPlane(ca, HEARTBEAT, clientCertificateLifetime).start();
        closeLast.add(server);
        return server;
    }

    private void joined(TestControlPlane server) {
        StringWriter err = new StringWriter();
        int exit = FreeholdAgent.commandLine().setErr(new PrintWriter(err, true)).setOut(new PrintWriter(new StringWriter()))
                .execute("join", "--server", server.address(), "--token", TestControlPlane.TOKEN, "--ca-hash", CA.hash(),
                        "--state-dir", tmp.resolve("state").toString(), "--config", write("libvirt_uri: test:///default\n").toString());
        assertThat(exit).as(err.toString()).isZero();
    }

    private AgentConfig config(List<String> addresses) {
        return AgentConfigReader.read(write("""
                control_plane_addresses: [%s]
                state_dir: %s
                libvirt_uri: test:///default
                metrics_address: 127.0.0.1:0
                reconnect_initial_backoff: 100ms
                reconnect_max_backoff: 1s
                reconnect_stable_after: 1s
                welcome_timeout: 2s
                """.formatted(String.join(", ", addresses), tmp.resolve("state"))));
    }

    private Path write(String yaml) {
        try {
            return Files.writeString(Files.createTempFile(tmp, "agent", ".yaml"), yaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Received next(TestControlPlane server) throws InterruptedException {
        Received received = server.received().poll(5, TimeUnit.SECONDS);
        assertThat(received).as("a message within 5 s").isNotNull();
        return received;
    }

    private static Received untilHello(TestControlPlane server) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            Received received = server.received().poll(100, TimeUnit.MILLISECONDS);
            if (received != null && received.message().hasHello()) {
                return received;
            }
        }
        throw new AssertionError("no Hello within 10 s");
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    static String scrape(int port) {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
