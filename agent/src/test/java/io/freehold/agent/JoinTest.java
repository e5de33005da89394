package io.freehold.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;

import io.freehold.agent.config.HostPort;
import io.freehold.agent.identity.AgentIdentity;
import io.freehold.agent.identity.Certificates;
import io.freehold.agent.identity.StateDirectory;
import io.freehold.agent.testing.TestCertificateAuthority;
import io.freehold.agent.testing.TestControlPlane;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code freehold-agent join} against a real gRPC server over real TLS on loopback. */
class JoinTest {

    private static final TestCertificateAuthority CA = new TestCertificateAuthority("Freehold agent CA test");
    private static final TestCertificateAuthority OTHER_CA = new TestCertificateAuthority("Some other CA");

    @TempDir
    Path tmp;

    private TestControlPlane server;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private int join(String caHash, Path stateDir) {
        CommandLine command = FreeholdAgent.commandLine();
        command.setOut(new PrintWriter(out, true));
        command.setErr(new PrintWriter(err, true));
        return command.execute("join", "--server", server.address(), "--token", TestControlPlane.TOKEN, "--ca-hash", caHash,
                "--state-dir", stateDir.toString(), "--config", emptyConfig().toString());
    }

    private Path emptyConfig() {
        Path config = tmp.resolve("agent.yaml");
        try {
            Files.writeString(config, "libvirt_uri: test:///default\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return config;
    }

    @Test
    void joinStoresTheIdentityWithThePrivateKeyReadableOnlyByRoot() throws Exception {
        server = new TestControlPlane(CA, Duration.ofSeconds(5), Duration.ofHours(1)).start();
        Path state = tmp.resolve("state");

        int exit = join(CA.hash(), state);

        assertThat(exit).as(err.toString()).isZero();
        assertThat(out.toString().trim()).isEqualTo(TestControlPlane.HOST_ID);
        StateDirectory dir = new StateDirectory(state);
        AgentIdentity identity = dir.load();
        assertThat(identity.hostId()).isEqualTo(TestControlPlane.HOST_ID);
        assertThat(identity.certificate()).isEqualTo(server.issued().get(0));
        assertThat(identity.caBundle()).containsExactly(CA.certificate());
        assertThat(identity.addresses()).containsExactly(HostPort.parse(server.address()), new HostPort("localhost", server.port()));
        assertThat(Files.getPosixFilePermissions(dir.currentKeyFile())).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(Files.getPosixFilePermissions(dir.currentKeyFile().getParent().getParent()))
                .isEqualTo(PosixFilePermissions.fromString("rwx------"));
        assertThat(server.joins()).singleElement().satisfies(request -> {
            assertThat(request.getFacts().getCpuThreads()).isPositive();
            assertThat(request.getFacts().getLibvirtUri()).isEqualTo("test:///default");
        });
    }

    @Test
    void aServerWithoutTheTokensCaIsRefusedAndNothingIsWritten() {
        server = new TestControlPlane(CA, Duration.ofSeconds(5), Duration.ofHours(1)).start();
        Path state = tmp.resolve("state");

        int exit = join(OTHER_CA.hash(), state);

        assertThat(exit).isEqualTo(1);
        assertThat(err.toString()).contains("refusing to join").contains(OTHER_CA.hash()).contains("does not contain the CA");
        assertThat(state).doesNotExist();
        assertThat(server.joins()).as("the token never left the agent").isEmpty();
    }

    @Test
    void aServerThatMerelyAppendsThePinnedCaToAForeignChainIsRefused() {
        TestCertificateAuthority.Issued foreign = OTHER_CA.serverIdentity();
        TestCertificateAuthority.Issued forged = new TestCertificateAuthority.Issued(foreign.key(),
                List.of(foreign.leaf(), CA.certificate()));
        server = new TestControlPlane(CA, forged, Duration.ofSeconds(5), Duration.ofHours(1)).start();
        Path state = tmp.resolve("state");

        int exit = join(CA.hash(), state);

        assertThat(exit).isEqualTo(1);
        assertThat(err.toString()).contains("refusing to join").contains("does not validate against it");
        assertThat(state).doesNotExist();
        assertThat(server.joins()).isEmpty();
    }

    @Test
    void aRejectedTokenIsReportedAndNothingIsWritten() {
        server = new TestControlPlane(CA, Duration.ofSeconds(5), Duration.ofHours(1)).start();
        Path state = tmp.resolve("state");
        CommandLine command = FreeholdAgent.commandLine();
        command.setErr(new PrintWriter(err, true));

        int exit = command.execute("join", "--server", server.address(), "--token", "fhj_zzzzzzzzzz_00000000000000000000000000000000",
                "--ca-hash", CA.hash(), "--state-dir", state.toString(), "--config", emptyConfig().toString());

        assertThat(exit).isEqualTo(1);
        assertThat(err.toString()).contains("did not accept the join: PERMISSION_DENIED").contains("unknown join token");
        assertThat(state).doesNotExist();
    }

    @Test
    void aSecondJoinIntoTheSameStateDirIsRefused() {
        server = new TestControlPlane(CA, Duration.ofSeconds(5), Duration.ofHours(1)).start();
        Path state = tmp.resolve("state");
        assertThat(join(CA.hash(), state)).isZero();
        String certificate = Certificates.sha256Hex(new StateDirectory(state).load().certificate());

        int exit = join(CA.hash(), state);

        assertThat(exit).isEqualTo(1);
        assertThat(err.toString()).contains("already holds the identity of host " + TestControlPlane.HOST_ID);
        assertThat(Certificates.sha256Hex(new StateDirectory(state).load().certificate())).isEqualTo(certificate);
    }

    @Test
    void aMalformedCaHashIsAUsageError() {
        server = new TestControlPlane(CA, Duration.ofSeconds(5), Duration.ofHours(1)).start();

        int exit = join("md5:abc", tmp.resolve("state"));

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).contains("sha256:<64 hex digits>");
    }
}
