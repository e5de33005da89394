package io.freehold.controlplane.compute.decision;

/**
 * Where an instance is in its life, as the control plane and its host's agent observed it. The
 * scheduling step moves PENDING to SCHEDULED; the rest belongs to provisioning on agents (next issue).
 */
public enum InstancePhase {
    /** Accepted; waiting for a host (see the {@code Scheduled} condition for why, when it waits long). */
    PENDING,
    /** A host was chosen and its resources are reserved; nothing runs on it yet. */
    SCHEDULED,
    /** The host's agent is creating the guest. */
    PROVISIONING,
    /** The guest runs. */
    RUNNING,
    /** The guest exists and is powered off. */
    STOPPED,
    /** Provisioning failed; the conditions say why. */
    FAILED,
    /** Deleted by the tenant; its resources are released, the host's agent has still to remove the guest. */
    DELETING
}
