package io.freehold.agent.link;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.google.protobuf.ByteString;
import io.freehold.agent.config.HostPort;
import io.freehold.agent.identity.AgentIdentity;
import io.freehold.agent.identity.CertificateRequests;
import io.freehold.agent.identity.Certificates;
import io.freehold.agent.v1.AgentServiceGrpc;
import io.freehold.agent.v1.HostFacts;
import io.freehold.agent.v1.JoinRequest;
import io.freehold.agent.v1.JoinResponse;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/**
 * Trades a join token for the host's identity. The server must prove it holds a certificate from the CA the token
 * names (see {@link PinnedCaTrust}); what it returns is checked as well: the certificate must be for the key
 * this agent made and be signed by a CA in the returned bundle, and that bundle must contain the pinned CA, so that
 * a later {@code run} trusts exactly the CA the operator vouched for. Writes nothing: storing is the caller's step.
 */
public final class JoinClient {

    /** A join the agent refused or the control plane rejected, with a message fit for the operator. */
    public static final class JoinFailed extends RuntimeException {
        JoinFailed(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private JoinClient() {
    }

    /**
     * @throws JoinFailed when the server is not trusted, refuses the token, or answers with something unusable
     */
    public static AgentIdentity join(HostPort server, String token, CaHash caHash, HostFacts facts) {
        KeyPair keys = CertificateRequests.newKeyPair();
        PinnedCaTrust trust = new PinnedCaTrust(caHash);
        ManagedChannel channel = Channels.forJoin(server, trust);
        JoinResponse response;
        try {
            response = AgentServiceGrpc.newBlockingStub(channel)
                    .withDeadlineAfter(Channels.JOIN_DEADLINE.toMillis(), TimeUnit.MILLISECONDS)
                    .join(JoinRequest.newBuilder()
                            .setJoinToken(token)
                            .setCsrDer(ByteString.copyFrom(CertificateRequests.csrDer(keys, facts.getHostname().isEmpty()
                                    ? "freehold-agent" : facts.getHostname())))
                            .setFacts(facts)
                            .build());
        } catch (StatusRuntimeException e) {
            if (trust.refusal() != null) {
                throw new JoinFailed("refusing to join " + server + ": " + trust.refusal(), e);
            }
            if (e.getStatus().getCode() == Status.Code.UNAVAILABLE || e.getStatus().getCode() == Status.Code.DEADLINE_EXCEEDED) {
                throw new JoinFailed("cannot reach the control plane at " + server + ": " + FailureReason.of(e), e);
            }
            throw new JoinFailed("the control plane at " + server + " did not accept the join: " + FailureReason.of(e), e);
        } finally {
            channel.shutdownNow();
        }
        return identityFrom(server, keys, caHash, response);
    }

    static AgentIdentity identityFrom(HostPort server, KeyPair keys, CaHash caHash, JoinResponse response) {
        X509Certificate certificate;
        List<X509Certificate> bundle;
        try {
            certificate = Certificates.fromDer(response.getCertificateDer().toByteArray());
            bundle = Certificates.fromDer(response.getCaCertificatesDerList());
        } catch (IllegalArgumentException e) {
            throw new JoinFailed("the control plane's answer holds an unreadable certificate: " + e.getMessage(), e);
        }
        if (response.getHostId().isBlank()) {
            throw new JoinFailed("the control plane's answer carries no host id", null);
        }
        if (caHash.findIn(bundle).isEmpty()) {
            throw new JoinFailed("the CA bundle the control plane returned does not contain the CA " + caHash
                    + " named by the join token", null);
        }
        if (!Arrays.equals(certificate.getPublicKey().getEncoded(), keys.getPublic().getEncoded())) {
            throw new JoinFailed("the certificate the control plane returned is not for the key this agent sent", null);
        }
        if (!signedByOneOf(certificate, bundle)) {
            throw new JoinFailed("the certificate the control plane returned is not signed by its CA bundle", null);
        }
        List<HostPort> addresses = new ArrayList<>();
        addresses.add(server);
        for (String announced : response.getControlPlaneAddressesList()) {
            try {
                HostPort address = HostPort.parse(announced);
                if (!addresses.contains(address)) {
                    addresses.add(address);
                }
            } catch (IllegalArgumentException e) {
                throw new JoinFailed("the control plane announced an unusable address: " + e.getMessage(), e);
            }
        }
        return new AgentIdentity(response.getHostId(), keys.getPrivate(), certificate, bundle, addresses);
    }

    static boolean signedByOneOf(X509Certificate certificate, List<X509Certificate> cas) {
        for (X509Certificate ca : cas) {
            try {
                certificate.verify(ca.getPublicKey());
                return true;
            } catch (GeneralSecurityException e) {
                // Not this CA; the bundle may hold intermediates and the root.
            }
        }
        return false;
    }
}
