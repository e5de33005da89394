package io.freehold.controlplane.inventory;

/**
 * Where a joining agent dials and how it recognises the control plane, for the join command ops are
 * given with each token. The agent link provides it: inventory cannot depend on the link, which depends
 * on inventory.
 */
public interface AgentEndpoint {

    /** The agent endpoint to put in a join command, as {@code host:port}. */
    String address();

    /** The SHA-256 of the CA certificate that agents pin at join, as {@code sha256:<hex>}. */
    String caFingerprint();
}
