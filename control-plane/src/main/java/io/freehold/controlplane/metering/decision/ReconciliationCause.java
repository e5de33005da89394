package io.freehold.controlplane.metering.decision;

/** Why an instance's logged running seconds and its host's counter disagree, as far as the report can tell. */
public enum ReconciliationCause {
    /** Log, counter and rollups agree within the tolerance. */
    NONE,
    /** The log counts more running time than the host saw: a {@code stopped} fact was lost; billed too much. */
    MISSING_STOP,
    /** The host saw more running time than the log: a {@code started} fact was lost; billed too little. */
    MISSING_START,
    /** The log counts more than a counter that restarted from 0 (its agent lost its ledger) and missed the agent's downtime. */
    COUNTER_RESET,
    /** No counter reading, or the latest is older than a host may stay silent: the seconds since are unverified. */
    COUNTER_STALE,
    /** Log and counter agree, but the rollups do not yet hold what the log said when they were last computed. */
    ROLLUP_PENDING,
    /** Everything agrees; some deliveries repeated a fact the log had, and were ignored. */
    DUPLICATES_IGNORED
}
