package io.freehold.controlplane.agentlink;

import java.security.cert.X509Certificate;
import java.time.Clock;

import io.freehold.controlplane.inventory.HostFacts;
import io.freehold.controlplane.inventory.HostRegistry;
import io.freehold.controlplane.inventory.JoinRefused;
import io.grpc.Status;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Join: a join token and a CSR become a host and its certificate, in one transaction. Signing happens
 * inside it, after the token is redeemed (the certificate names the host the join created), so a CSR
 * that cannot be signed rolls the join back: the token stays unused and no host appears.
 */
@Service
class HostEnrolment {

    /** A joined host and its first certificate. */
    record Enrolled(String hostId, X509Certificate certificate) {
    }

    private final HostRegistry hosts;
    private final ClientCertificates certificates;
    private final TransactionTemplate transaction;
    private final Clock clock;

    HostEnrolment(HostRegistry hosts, ClientCertificates certificates, TransactionTemplate transaction, Clock clock) {
        this.hosts = hosts;
        this.certificates = certificates;
        this.transaction = transaction;
        this.clock = clock;
    }

    /**
     * @throws io.grpc.StatusRuntimeException PERMISSION_DENIED for a token that is unknown, malformed,
     *         used or expired, INVALID_ARGUMENT for a CSR that cannot be signed; nothing is written then
     */
    Enrolled enrol(String joinToken, byte[] csrDer, HostFacts facts) {
        return transaction.execute(tx -> {
            String hostId;
            try {
                hostId = hosts.join(joinToken, facts, clock.instant());
            } catch (JoinRefused e) {
                throw Status.PERMISSION_DENIED.withDescription(e.getMessage()).asRuntimeException();
            }
            return new Enrolled(hostId, certificates.sign(csrDer, hostId));
        });
    }
}
