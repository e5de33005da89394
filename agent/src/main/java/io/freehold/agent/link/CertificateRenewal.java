package io.freehold.agent.link;

import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

import com.google.protobuf.ByteString;
import io.freehold.agent.identity.AgentIdentity;
import io.freehold.agent.identity.CertificateRequests;
import io.freehold.agent.identity.Certificates;
import io.freehold.agent.identity.StateDirectory;
import io.freehold.agent.metrics.AgentMetrics;
import io.freehold.agent.v1.AgentMessage;
import io.freehold.agent.v1.RenewRequest;
import io.freehold.agent.v1.RenewResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds the identity in use and renews its certificate: a new key per renewal, its CSR sent over the session, and on
 * a valid answer the pair replaced on disk in one step and used from the next connection on. A certificate that is
 * not for the pending key, or not signed by a trusted CA, is rejected and the old identity kept.
 *
 * <p>Thread-safe; sessions call it from their own thread, the link reads {@link #current()} between sessions.
 */
public final class CertificateRenewal {

    private static final Logger log = LoggerFactory.getLogger(CertificateRenewal.class);

    private final StateDirectory state;
    private final AgentMetrics metrics;
    private volatile AgentIdentity current;
    private KeyPair pending;
    private byte[] pendingCsr;

    public CertificateRenewal(StateDirectory state, AgentIdentity current, AgentMetrics metrics) {
        this.state = state;
        this.current = current;
        this.metrics = metrics;
        metrics.certificateInUse(current.notAfter());
    }

    public AgentIdentity current() {
        return current;
    }

    public Instant renewAt() {
        AgentIdentity identity = current;
        return RenewalTiming.renewAt(identity.notBefore(), identity.notAfter());
    }

    /** A RenewRequest for the pending key, making that key first; the same CSR is re-sent until it is answered. */
    public synchronized AgentMessage request() {
        if (pending == null) {
            pending = CertificateRequests.newKeyPair();
            pendingCsr = CertificateRequests.csrDer(pending, current.hostId());
        }
        return AgentMessage.newBuilder()
                .setRenewRequest(RenewRequest.newBuilder().setCsrDer(ByteString.copyFrom(pendingCsr)))
                .build();
    }

    /**
     * Accepts a RenewResponse.
     *
     * @return whether the identity was replaced
     */
    public synchronized boolean accept(RenewResponse response, Instant now) {
        if (pending == null) {
            log.warn("certificate renewal answer ignored reason=\"no renewal was asked for\"");
            return false;
        }
        X509Certificate certificate;
        List<X509Certificate> bundle;
        try {
            certificate = Certificates.fromDer(response.getCertificateDer().toByteArray());
            bundle = Certificates.fromDer(response.getCaCertificatesDerList());
        } catch (IllegalArgumentException e) {
            log.warn("certificate renewal answer rejected reason=\"{}\"", e.getMessage());
            return false;
        }
        String problem = problemWith(certificate, bundle.isEmpty() ? current.caBundle() : bundle, now);
        if (problem != null) {
            log.warn("certificate renewal answer rejected reason=\"{}\"", problem);
            return false;
        }
        state.storeRenewal(pending.getPrivate(), certificate, bundle);
        current = current.renewed(pending.getPrivate(), certificate, bundle);
        pending = null;
        pendingCsr = null;
        metrics.certificateRenewed(current.notAfter());
        log.info("certificate renewed serial={} not_after={}", certificate.getSerialNumber().toString(16), current.notAfter());
        return true;
    }

    private String problemWith(X509Certificate certificate, List<X509Certificate> trusted, Instant now) {
        if (!Arrays.equals(certificate.getPublicKey().getEncoded(), pending.getPublic().getEncoded())) {
            return "the certificate is not for the key this agent sent";
        }
        if (!JoinClient.signedByOneOf(certificate, trusted)) {
            return "the certificate is not signed by a trusted CA";
        }
        if (!certificate.getNotAfter().toInstant().isAfter(now)) {
            return "the certificate has already expired";
        }
        return null;
    }
}
