package io.freehold.controlplane.agentlink;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Which certificates name a host: only client certificates with a single CN. */
class ClientCertificateInterceptorTest {

    private final TestCertificates.ForeignCa ca = TestCertificates.foreignCa();

    @Test
    void anAgentCertificateNamesTheHostInItsCommonName() {
        var certificate = TestCertificates.clientCertificate(ca, "h-01abc", TestCertificates.newKey().getPublic());

        assertThat(ClientCertificateInterceptor.hostId(certificate)).contains("h-01abc");
    }

    @Test
    void aCertificateWithoutClientAuthenticationNamesNoHost() {
        assertThat(ClientCertificateInterceptor.hostId(ca.certificate())).isEmpty();
    }
}
