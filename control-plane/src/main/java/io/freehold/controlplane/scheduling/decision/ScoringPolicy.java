package io.freehold.controlplane.scheduling.decision;

/** Which of the hosts that fit is preferred. */
public enum ScoringPolicy {
    /** The fullest: keeps whole hosts free for large guests and for maintenance. */
    BIN_PACK,
    /** The emptiest: spreads load and the blast radius of a host failure. */
    SPREAD
}
