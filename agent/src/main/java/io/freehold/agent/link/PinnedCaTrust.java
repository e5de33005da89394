package io.freehold.agent.link;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

import io.freehold.agent.identity.Certificates;

/**
 * Trust for the join connection, before the agent has any CA of its own: the server is accepted only when its chain
 * contains the CA named by the token's hash AND the chain validates against that CA as the sole anchor.
 *
 * <p>Finding the hash in the chain alone would prove nothing — a CA certificate is public, and any server could
 * append it to its own chain — so the PKIX check against that CA is what ties the server's key to the pinned CA.
 * The reason for the last refusal is kept so that {@code join} can print it instead of a bare handshake error.
 */
final class PinnedCaTrust extends X509ExtendedTrustManager {

    private final CaHash pinned;
    private volatile String refusal;

    PinnedCaTrust(CaHash pinned) {
        this.pinned = pinned;
    }

    /** Why the last server was refused, or {@code null} when none was. */
    String refusal() {
        return refusal;
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        X509ExtendedTrustManager anchored = anchoredOnPinnedCa(chain);
        try {
            anchored.checkServerTrusted(chain, authType, engine);
        } catch (CertificateException e) {
            throw refuse(e);
        }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        X509ExtendedTrustManager anchored = anchoredOnPinnedCa(chain);
        try {
            anchored.checkServerTrusted(chain, authType, socket);
        } catch (CertificateException e) {
            throw refuse(e);
        }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        X509ExtendedTrustManager anchored = anchoredOnPinnedCa(chain);
        try {
            anchored.checkServerTrusted(chain, authType);
        } catch (CertificateException e) {
            throw refuse(e);
        }
    }

    private X509ExtendedTrustManager anchoredOnPinnedCa(X509Certificate[] chain) throws CertificateException {
        List<X509Certificate> presented = chain == null ? List.of() : Arrays.asList(chain);
        X509Certificate ca = pinned.findIn(presented).orElse(null);
        if (ca == null) {
            refusal = "the server's certificate chain does not contain the CA " + pinned + " named by the join token; it presented "
                    + presented.stream().map(c -> "sha256:" + Certificates.sha256Hex(c) + " (" + c.getSubjectX500Principal() + ")")
                    .collect(Collectors.joining(", "));
            throw new CertificateException(refusal);
        }
        return CaTrust.anchoredOn(List.of(ca));
    }

    private CertificateException refuse(CertificateException cause) {
        refusal = "the server's chain contains the CA " + pinned + " but does not validate against it: " + cause.getMessage();
        return new CertificateException(refusal, cause);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        throw new CertificateException("the agent never accepts clients");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        throw new CertificateException("the agent never accepts clients");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("the agent never accepts clients");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
    }
}
