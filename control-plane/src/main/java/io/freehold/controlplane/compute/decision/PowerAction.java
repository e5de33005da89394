package io.freehold.controlplane.compute.decision;

/** What a tenant can ask of a running or stopped instance. */
public enum PowerAction {
    START, STOP, REBOOT;

    /** The path segment and the audit verb: {@code start}, {@code stop}, {@code reboot}. */
    public String verb() {
        return name().toLowerCase();
    }
}
