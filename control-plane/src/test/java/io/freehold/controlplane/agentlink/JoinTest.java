package io.freehold.controlplane.agentlink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.cert.X509Certificate;
import java.time.Instant;

import io.freehold.agent.v1.JoinResponse;
import io.freehold.controlplane.inventory.HostState;
import io.freehold.controlplane.inventory.IssuedJoinToken;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.junit.jupiter.api.Test;

/** Join over real TLS: a token and a CSR become a REGISTERED host and its certificate, or nothing at all. */
class JoinTest extends AgentLinkApiTest {

    @Test
    void aJoinCreatesARegisteredHostAndSignsACertificateNamingIt() throws Exception {
        String hostname = uniqueHostname("join");
        TestAgent agent = agent();

        JoinResponse response = agent.join(newToken(), authority.fingerprint(), hostname);

        assertThat(response.getHostId()).startsWith("h-");
        assertThat(state(response.getHostId())).isEqualTo(HostState.REGISTERED);
        assertThat(hostRow(response.getHostId())).containsEntry("hostname", hostname).containsEntry("facts_hostname", hostname);
        assertThat(events(response.getHostId())).containsExactly("joined:null->REGISTERED");
        X509Certificate certificate = agent.certificate;
        assertThat(certificate.getSubjectX500Principal().getName()).isEqualTo("CN=" + response.getHostId());
        assertThat(certificate.getPublicKey()).isEqualTo(agent.key.getPublic());
        certificate.verify(authority.certificate().getPublicKey());
        assertThat(TestCertificates.fingerprint(agent.ca)).isEqualTo(authority.fingerprint());
    }

    @Test
    void anUnknownTokenIsRefusedAndCreatesNothing() {
        String hostname = uniqueHostname("unknown-token");
        long before = hostCount();

        assertRefused(() -> agent().join("fhj_0000000000_00000000000000000000000000000000", authority.fingerprint(), hostname),
                Status.Code.PERMISSION_DENIED, "not known");

        assertThat(hostsNamed(hostname)).isZero();
        assertThat(hostCount()).isEqualTo(before);
    }

    @Test
    void aMalformedOrWrongTokenIsRefused() {
        String token = newToken();
        String hostname = uniqueHostname("malformed-token");

        assertRefused(() -> agent().join("not-a-token", authority.fingerprint(), hostname), Status.Code.PERMISSION_DENIED,
                "malformed");
        String wrongSecret = token.substring(0, token.length() - 4) + (token.endsWith("aaaa") ? "bbbb" : "aaaa");
        assertRefused(() -> agent().join(wrongSecret, authority.fingerprint(), hostname), Status.Code.PERMISSION_DENIED, "not known");
        assertRefused(() -> agent().join("", authority.fingerprint(), hostname), Status.Code.INVALID_ARGUMENT, "join_token");

        assertThat(hostsNamed(hostname)).isZero();
        agent().join(token, authority.fingerprint(), hostname);
        assertThat(hostsNamed(hostname)).isOne();
    }

    @Test
    void aTokenWorksOnceOnly() {
        String token = newToken();
        agent().join(token, authority.fingerprint(), uniqueHostname("first"));
        String second = uniqueHostname("second");
        long before = hostCount();

        assertRefused(() -> agent().join(token, authority.fingerprint(), second), Status.Code.PERMISSION_DENIED, "already used");

        assertThat(hostsNamed(second)).isZero();
        assertThat(hostCount()).isEqualTo(before);
    }

    @Test
    void anExpiredTokenIsRefusedAndCreatesNothing() {
        IssuedJoinToken token = issueToken();
        jdbc.sql("update join_token set expires_at = now() - interval '1 minute' where id = :id").param("id", token.id()).update();
        String hostname = uniqueHostname("expired");
        long before = hostCount();

        assertRefused(() -> agent().join(token.token(), authority.fingerprint(), hostname), Status.Code.PERMISSION_DENIED, "expired");

        assertThat(hostsNamed(hostname)).isZero();
        assertThat(hostCount()).isEqualTo(before);
    }

    @Test
    void aBadCsrIsRefusedAndLeavesTheTokenUnused() {
        String token = newToken();
        String hostname = uniqueHostname("bad-csr");
        TestAgent agent = agent();
        byte[] signedByAnotherKey = TestCertificates.csr(TestCertificates.newKey(), "freehold-agent");
        signedByAnotherKey[signedByAnotherKey.length - 5] ^= 0x55;
        long before = hostCount();

        assertRefused(() -> agent.join(token, authority.fingerprint(), TestAgent.facts(hostname), new byte[] {1, 2, 3}),
                Status.Code.INVALID_ARGUMENT, "certificate signing request");
        assertRefused(() -> agent.join(token, authority.fingerprint(), TestAgent.facts(hostname), signedByAnotherKey),
                Status.Code.INVALID_ARGUMENT, "certificate signing request");
        assertRefused(() -> agent.join(token, authority.fingerprint(), TestAgent.facts(hostname), new byte[0]),
                Status.Code.INVALID_ARGUMENT, "csr_der");

        assertThat(hostsNamed(hostname)).isZero();
        assertThat(hostCount()).isEqualTo(before);
        assertThat(jdbc.sql("select used_at is null from join_token where prefix = :prefix")
                .param("prefix", token.split("_")[1]).query(Boolean.class).single()).as("token still unused").isTrue();
        assertThat(agent.join(token, authority.fingerprint(), hostname).getHostId()).startsWith("h-");
    }

    @Test
    void factsThatNoHostReportsAreRefused() {
        String token = newToken();
        TestAgent agent = agent();
        String tooLong = "h".repeat(254);

        assertRefused(() -> agent.join(token, authority.fingerprint(), tooLong), Status.Code.INVALID_ARGUMENT, "facts.hostname");
        var noVersion = TestAgent.facts(uniqueHostname("no-version")).toBuilder().clearProtocolVersion().build();
        assertRefused(() -> agent.join(token, authority.fingerprint(), noVersion, TestCertificates.csr(agent.key, "x")),
                Status.Code.INVALID_ARGUMENT, "protocol_version");

        assertThat(hostsNamed(tooLong)).isZero();
    }

    @Test
    void anAgentRefusesAServerWhoseCaIsNotTheOneItsTokenNames() {
        String token = newToken();
        String hostname = uniqueHostname("wrong-ca");
        String someoneElsesCa = TestCertificates.fingerprint(TestCertificates.foreignCa().certificate());

        assertThatThrownBy(() -> agent().join(token, someoneElsesCa, hostname))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE))
                .rootCause().hasMessageContaining("does not hold the CA");

        assertThat(hostsNamed(hostname)).as("the agent never sent its token").isZero();
        assertThat(agent().join(token, authority.fingerprint(), hostname).getHostId()).startsWith("h-");
    }

    @Test
    void theCertificateLivesAsLongAsConfigured() {
        TestAgent agent = joined(uniqueHostname("lifetime"));
        Instant notAfter = agent.certificate.getNotAfter().toInstant();

        assertThat(notAfter).isBetween(clock.instant().plusSeconds(24 * 3600 - 60), clock.instant().plusSeconds(24 * 3600 + 1));
    }

    private static void assertRefused(Runnable join, Status.Code code, String reason) {
        assertThatThrownBy(join::run)
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(code);
                    assertThat(e.getStatus().getDescription()).contains(reason);
                });
    }
}
