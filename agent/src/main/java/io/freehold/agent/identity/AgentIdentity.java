package io.freehold.agent.identity;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

import io.freehold.agent.config.HostPort;

/**
 * What the agent proves itself with and whom it trusts, as stored after join and after each renewal.
 *
 * @param hostId      the control plane's id for this host; also the certificate's subject CN
 * @param key         the private key matching {@code certificate}; never leaves the host
 * @param certificate the client certificate for mutual TLS
 * @param caBundle    the CAs whose server certificates the agent accepts, root last
 * @param addresses   the server the agent joined through, then those the control plane announced
 */
public record AgentIdentity(String hostId, PrivateKey key, X509Certificate certificate, List<X509Certificate> caBundle,
                            List<HostPort> addresses) {

    public AgentIdentity {
        Objects.requireNonNull(hostId, "hostId");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(certificate, "certificate");
        caBundle = List.copyOf(caBundle);
        addresses = List.copyOf(addresses);
        if (caBundle.isEmpty()) {
            throw new IllegalArgumentException("an identity needs at least one CA certificate");
        }
    }

    public Instant notBefore() {
        return certificate.getNotBefore().toInstant();
    }

    public Instant notAfter() {
        return certificate.getNotAfter().toInstant();
    }

    /** The same host with a renewed key and certificate, and the new CA bundle when the control plane sent one. */
    public AgentIdentity renewed(PrivateKey newKey, X509Certificate newCertificate, List<X509Certificate> newCaBundle) {
        return new AgentIdentity(hostId, newKey, newCertificate, newCaBundle.isEmpty() ? caBundle : newCaBundle, addresses);
    }
}
