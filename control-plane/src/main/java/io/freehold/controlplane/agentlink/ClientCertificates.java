package io.freehold.controlplane.agentlink;

import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.List;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import org.springframework.stereotype.Component;

/** Agent certificates as Join and renewal hand them out: signed for a host id, with the chain to trust. */
@Component
class ClientCertificates {

    private final CertificateAuthority authority;
    private final AgentLinkProperties properties;

    ClientCertificates(CertificateAuthority authority, AgentLinkProperties properties) {
        this.authority = authority;
        this.properties = properties;
    }

    /**
     * Signs the CSR for {@code hostId}, which the caller took from a join or from the stream's client
     * certificate, never from the request.
     *
     * @throws io.grpc.StatusRuntimeException INVALID_ARGUMENT when the CSR is malformed or not self-signed
     */
    X509Certificate sign(byte[] csrDer, String hostId) {
        if (csrDer.length == 0) {
            throw Status.INVALID_ARGUMENT.withDescription("csr_der is missing").asRuntimeException();
        }
        try {
            return authority.signClientCertificate(csrDer, hostId, properties.certificateLifetime());
        } catch (IllegalArgumentException e) {
            throw Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException();
        }
    }

    /** The CA chain agents trust for this control plane's server certificates, root last. */
    List<ByteString> caChain() {
        return List.of(der(authority.certificate()));
    }

    static ByteString der(X509Certificate certificate) {
        try {
            return ByteString.copyFrom(certificate.getEncoded());
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException("a certificate this CA holds does not encode", e);
        }
    }
}
