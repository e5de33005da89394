package io.freehold.controlplane.inventory;

/** ARCHITECTURE §7. Cordoning is a separate flag, not a state. */
public enum HostState {
    /** A slot ops created; no agent has joined it yet, or one joined but never connected. */
    REGISTERED,
    /** Its agent is connected and heartbeating. */
    READY,
    /** Its agent missed heartbeats or its stream closed; guests keep running. */
    UNREACHABLE,
    /** Its certificate is no longer accepted. Final. */
    REVOKED
}
