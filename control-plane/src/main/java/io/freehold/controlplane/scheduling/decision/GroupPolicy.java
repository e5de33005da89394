package io.freehold.controlplane.scheduling.decision;

/** A placement group's hard rule for where its members may land relative to one another. */
public enum GroupPolicy {
    /** No two members on one host. */
    ANTI_AFFINITY_HOST,
    /** No two members in one rack; an unracked host counts as a rack of its own. */
    ANTI_AFFINITY_RACK,
    /** Every member on the host of the first. */
    AFFINITY_HOST,
    /** Every member in the rack of the first. */
    AFFINITY_RACK
}
