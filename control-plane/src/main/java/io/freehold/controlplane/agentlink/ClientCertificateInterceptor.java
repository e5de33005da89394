package io.freehold.controlplane.agentlink;

import java.security.cert.Certificate;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;

import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

import io.freehold.agent.v1.AgentServiceGrpc;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;
import org.springframework.stereotype.Component;

/**
 * The only source of a host's identity: the client certificate of the call's TLS session, whose
 * subject CN is the host id. Every call but Join needs one; the TLS layer has already refused
 * certificates our CA did not sign, so here a call is refused when it has no certificate
 * (UNAUTHENTICATED), when the certificate is not an agent's (a replica's server certificate, say), or
 * when the host is unknown or revoked (PERMISSION_DENIED). Admitted calls see the host id in
 * {@link #HOST_ID}; nothing a message says about itself can change it.
 */
@Component
class ClientCertificateInterceptor implements ServerInterceptor {

    static final Context.Key<String> HOST_ID = Context.key("freehold-host-id");
    private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";

    private final AgentSessions sessions;

    ClientCertificateInterceptor(AgentSessions sessions) {
        this.sessions = sessions;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        if (call.getMethodDescriptor().getFullMethodName().equals(AgentServiceGrpc.getJoinMethod().getFullMethodName())) {
            return next.startCall(call, headers);
        }
        Optional<X509Certificate> certificate = peerCertificate(call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION));
        if (certificate.isEmpty()) {
            return refuse(call, Status.UNAUTHENTICATED.withDescription(
                    "this call needs the client certificate Join issued; present it over mutual TLS"));
        }
        Optional<String> hostId = hostId(certificate.get());
        if (hostId.isEmpty()) {
            return refuse(call, Status.PERMISSION_DENIED.withDescription("the client certificate is not an agent certificate"));
        }
        if (!sessions.admitted(hostId.get())) {
            return refuse(call, Status.PERMISSION_DENIED.withDescription(
                    "host " + hostId.get() + " is revoked or unknown; join again with a new token"));
        }
        return Contexts.interceptCall(Context.current().withValue(HOST_ID, hostId.get()), call, headers, next);
    }

    private static Optional<X509Certificate> peerCertificate(SSLSession session) {
        if (session == null) {
            return Optional.empty();
        }
        try {
            Certificate[] chain = session.getPeerCertificates();
            return chain.length > 0 && chain[0] instanceof X509Certificate x509 ? Optional.of(x509) : Optional.empty();
        } catch (SSLPeerUnverifiedException e) {
            return Optional.empty();
        }
    }

    /** The host id of an agent certificate: its subject's single CN, on a certificate made for client authentication. */
    static Optional<String> hostId(X509Certificate certificate) {
        try {
            List<String> usages = certificate.getExtendedKeyUsage();
            if (usages == null || !usages.contains(CLIENT_AUTH)) {
                return Optional.empty();
            }
        } catch (CertificateParsingException e) {
            return Optional.empty();
        }
        RDN[] names = X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded()).getRDNs(BCStyle.CN);
        if (names.length != 1) {
            return Optional.empty();
        }
        String cn = IETFUtils.valueToString(names[0].getFirst().getValue());
        return cn.isBlank() ? Optional.empty() : Optional.of(cn);
    }

    private static <Q, R> ServerCall.Listener<Q> refuse(ServerCall<Q, R> call, Status status) {
        call.close(status, new Metadata());
        return new ServerCall.Listener<>() {
        };
    }
}
