package io.freehold.agent.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.Signature;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import io.freehold.agent.config.HostPort;
import io.freehold.agent.testing.TestCertificateAuthority;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateDirectoryTest {

    private static final TestCertificateAuthority CA = new TestCertificateAuthority("state test CA");

    @TempDir
    Path tmp;

    private static AgentIdentity identity(KeyPair keys) {
        return new AgentIdentity("h-1", keys.getPrivate(),
                CA.signClient(CertificateRequests.csrDer(keys, "host"), "h-1", Duration.ofHours(1)),
                List.of(CA.certificate()), List.of(new HostPort("cp1", 9443), new HostPort("fd00::1", 9443)));
    }

    @Test
    void aStoredJoinLoadsBackWithTheKeyOwnerOnly() throws Exception {
        StateDirectory state = new StateDirectory(tmp.resolve("agent"));
        KeyPair keys = CertificateRequests.newKeyPair();
        assertThat(state.isJoined()).isFalse();

        state.storeJoin(identity(keys));

        AgentIdentity loaded = state.load();
        assertThat(state.isJoined()).isTrue();
        assertThat(loaded.hostId()).isEqualTo("h-1");
        assertThat(loaded.caBundle()).containsExactly(CA.certificate());
        assertThat(loaded.addresses()).containsExactly(new HostPort("cp1", 9443), new HostPort("fd00::1", 9443));
        assertThat(signsFor(loaded)).isTrue();
        assertThat(loaded.key().getEncoded()).isEqualTo(keys.getPrivate().getEncoded());
        assertThat(Files.getPosixFilePermissions(state.currentKeyFile())).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(Files.getPosixFilePermissions(tmp.resolve("agent"))).isEqualTo(PosixFilePermissions.fromString("rwx--x--x"));
        assertThat(Files.readString(state.currentKeyFile())).startsWith("-----BEGIN PRIVATE KEY-----");
        assertThat(leftovers()).isEmpty();
    }

    @Test
    void aRenewalSwapsKeyAndCertificateTogetherAndDeletesTheOldKey() throws Exception {
        StateDirectory state = new StateDirectory(tmp.resolve("agent"));
        AgentIdentity joined = identity(CertificateRequests.newKeyPair());
        state.storeJoin(joined);
        Path oldKeyDir = state.currentKeyFile().toRealPath().getParent();
        KeyPair next = CertificateRequests.newKeyPair();

        state.storeRenewal(next.getPrivate(), CA.signClient(CertificateRequests.csrDer(next, "h-1"), "h-1", Duration.ofHours(2)), List.of());

        AgentIdentity renewed = state.load();
        assertThat(renewed.certificate()).isNotEqualTo(joined.certificate());
        assertThat(renewed.key().getEncoded()).isEqualTo(next.getPrivate().getEncoded());
        assertThat(signsFor(renewed)).isTrue();
        assertThat(renewed.caBundle()).containsExactly(CA.certificate());
        assertThat(Files.exists(oldKeyDir)).isFalse();
        assertThat(Files.isSymbolicLink(tmp.resolve("agent/credentials/current"))).isTrue();
        assertThat(leftovers()).isEmpty();
    }

    @Test
    void loadingBeforeJoinSaysWhatToDo() {
        assertThatThrownBy(() -> new StateDirectory(tmp).load()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("run 'freehold-agent join' first");
    }

    private static boolean signsFor(AgentIdentity identity) throws Exception {
        Signature signer = Signature.getInstance("SHA256withECDSA");
        signer.initSign(identity.key());
        signer.update(new byte[] {1, 2, 3});
        byte[] signature = signer.sign();
        Signature verifier = Signature.getInstance("SHA256withECDSA");
        verifier.initVerify(identity.certificate().getPublicKey());
        verifier.update(new byte[] {1, 2, 3});
        return verifier.verify(signature);
    }

    private List<Path> leftovers() throws Exception {
        try (Stream<Path> paths = Files.walk(tmp)) {
            return paths.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList();
        }
    }
}
