package io.freehold.controlplane.inventory;

import java.util.Optional;

/**
 * Where a joining agent dials and how it recognises the control plane, for the join command ops are
 * given with each token. The agent link provides it: inventory cannot depend on the link, which depends
 * on inventory.
 */
public interface AgentEndpoint {

    /** The agent endpoint to put in a join command, as {@code host:port}. */
    String address();

    /**
     * Where an agent on this very machine reaches this replica, as {@code host:port}: a loopback name
     * that the replica's server certificate carries, on the port it listens on.
     *
     * @return empty when this replica runs no agent endpoint, listens on no loopback address, or has no
     *         loopback name in its certificate
     */
    Optional<String> loopbackAddress();

    /** The SHA-256 of the CA certificate that agents pin at join, as {@code sha256:<hex>}. */
    String caFingerprint();
}
