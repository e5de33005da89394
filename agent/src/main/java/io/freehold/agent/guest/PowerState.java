package io.freehold.agent.guest;

import org.libvirt.DomainInfo.DomainState;

/** What a domain is doing, as far as Freehold cares: the few states the control plane reasons about, and the rest. */
public enum PowerState {
    /** Executing guest code; libvirt's "blocked" (running, waiting on a resource) counts as running. */
    RUNNING,
    SHUT_OFF,
    /** Paused by an operator or by libvirt itself, e.g. after a disk I/O error when the host's storage is full. */
    PAUSED,
    /**
     * Crashed and kept in that state. Freehold's domains say {@code on_crash=destroy}, so theirs are shut off instead;
     * a crashed domain here was defined otherwise.
     */
    CRASHED,
    /** No state yet, being shut down, or suspended to RAM by the guest itself. */
    OTHER;

    /**
     * Whether the domain is active in libvirt's sense: its QEMU process exists and holds the memory and vCPUs the host
     * gave it, whether it executes, is paused, or is in any state but shut off. Lifecycle facts and running-seconds
     * counters call such a guest running.
     */
    public boolean isActive() {
        return this != SHUT_OFF;
    }

    static PowerState of(DomainState state) {
        return switch (state) {
            case VIR_DOMAIN_RUNNING, VIR_DOMAIN_BLOCKED -> RUNNING;
            case VIR_DOMAIN_SHUTOFF -> SHUT_OFF;
            case VIR_DOMAIN_PAUSED -> PAUSED;
            case VIR_DOMAIN_CRASHED -> CRASHED;
            case VIR_DOMAIN_NOSTATE, VIR_DOMAIN_SHUTDOWN, VIR_DOMAIN_PMSUSPENDED -> OTHER;
        };
    }
}
