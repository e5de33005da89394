package io.freehold.controlplane.agentlink;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;

import com.google.protobuf.ByteString;
import io.freehold.agent.v1.AgentMessage;
import io.freehold.agent.v1.RenewRequest;
import io.freehold.agent.v1.RenewResponse;
import io.grpc.Status;
import org.junit.jupiter.api.Test;

/** Certificate renewal over the Connect stream: a new certificate for the same host, for a new key. */
class RenewalTest extends AgentLinkApiTest {

    @Test
    void renewalSignsANewKeyForTheSameHostWithALaterExpiry() throws Exception {
        String hostname = uniqueHostname("renew");
        TestAgent agent = joined(hostname);
        AgentStream stream = connected(agent, hostname);
        X509Certificate old = agent.certificate;
        // Certificate times have whole seconds: make sure the renewal is signed in a later one.
        sleep(Duration.ofMillis(1100));
        KeyPair newKey = TestCertificates.newKey();

        stream.send(renew(TestCertificates.csr(newKey, "freehold-agent")));
        RenewResponse response = stream.next().getRenewResponse();

        X509Certificate renewed = TestCertificates.certificate(response.getCertificateDer().toByteArray());
        assertThat(renewed.getSubjectX500Principal()).isEqualTo(old.getSubjectX500Principal());
        assertThat(renewed.getPublicKey()).isEqualTo(newKey.getPublic());
        assertThat(renewed.getNotAfter()).isAfter(old.getNotAfter());
        renewed.verify(authority.certificate().getPublicKey());
        assertThat(TestCertificates.fingerprint(TestCertificates.certificate(response.getCaCertificatesDer(0).toByteArray())))
                .isEqualTo(authority.fingerprint());

        agent.key = newKey;
        agent.certificate = renewed;
        assertThat(connected(agent, hostname)).as("the renewed certificate opens a stream").isNotNull();
    }

    @Test
    void aBadRenewalCsrClosesTheStream() {
        String hostname = uniqueHostname("renew-bad");
        TestAgent agent = joined(hostname);
        AgentStream stream = connected(agent, hostname);

        stream.send(renew(new byte[] {0x30, 0x03, 0x02, 0x01, 0x00}));

        Status status = stream.awaitClose();
        assertThat(status.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(status.getDescription()).contains("certificate signing request");
    }

    private static AgentMessage renew(byte[] csr) {
        return AgentMessage.newBuilder().setRenewRequest(RenewRequest.newBuilder().setCsrDer(ByteString.copyFrom(csr))).build();
    }
}
