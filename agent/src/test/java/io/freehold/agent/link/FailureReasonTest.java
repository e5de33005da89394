package io.freehold.agent.link;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import java.security.cert.CertificateException;

import javax.net.ssl.SSLHandshakeException;

import io.grpc.Status;
import org.junit.jupiter.api.Test;

/** The one-line reasons the link logs when a connection fails or a session ends. */
class FailureReasonTest {

    @Test
    void aCleanEndSaysSo() {
        assertThat(FailureReason.of(null)).isEqualTo("the control plane ended the stream");
    }

    @Test
    void aRefusedConnectionNamesTheSocketError() {
        Throwable error = Status.UNAVAILABLE.withDescription("io exception\nChannel Pipeline: [SslHandler#0, ...]")
                .withCause(new ConnectException("Connection refused")).asRuntimeException();

        assertThat(FailureReason.of(error)).isEqualTo("UNAVAILABLE: io exception (Connection refused)");
    }

    @Test
    void aTlsRefusalNamesTheCertificateProblem() {
        SSLHandshakeException handshake = new SSLHandshakeException("PKIX path building failed");
        handshake.initCause(new CertificateException("unable to find valid certification path to requested target"));
        Throwable error = Status.UNAVAILABLE.withDescription("io exception").withCause(handshake).asRuntimeException();

        assertThat(FailureReason.of(error))
                .isEqualTo("UNAVAILABLE: io exception (TLS handshake failed: unable to find valid certification path to requested target)");
    }

    @Test
    void otherErrorsKeepTheirFirstLineWithoutQuotes() {
        assertThat(FailureReason.of(new IllegalStateException("no \"Welcome\" within PT2S\nmore")))
                .isEqualTo("IllegalStateException: no 'Welcome' within PT2S");
    }
}
