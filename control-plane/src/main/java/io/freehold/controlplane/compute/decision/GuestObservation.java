package io.freehold.controlplane.compute.decision;

/**
 * What the instance's host last observed of its guest, in lifecycle reports or in the guest list of its Hello.
 *
 * @param appliedSeq the seq of the last command the host's agent had applied when it looked: an observation
 *                   says something about a command's outcome only when this is at least that command's seq
 */
public record GuestObservation(ObservedPower power, long appliedSeq) {

    public enum ObservedPower {
        RUNNING,
        STOPPED,
        /** The host has no domain for the instance. */
        ABSENT
    }

    /** Whether this is what a spec asking for {@code wanted} should produce. */
    boolean agreesWith(PowerState wanted) {
        return switch (wanted) {
            case RUNNING -> power == ObservedPower.RUNNING;
            case STOPPED -> power == ObservedPower.STOPPED;
        };
    }
}
