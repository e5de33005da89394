package io.freehold.controlplane.metering;

import java.time.Instant;
import java.util.List;

import io.freehold.controlplane.metering.decision.ReconciliationCause;

/**
 * One instance's line of the reconciliation report: its running seconds as billed, as the lifecycle log says and
 * as its hosts counted them, and the likely cause of a difference (docs/metering.md, "Reconciliation report").
 *
 * @param tenantId                   from its facts; null when the log holds none
 * @param counterReadAt              when the latest counter reading was recorded (server time); null without one
 * @param loggedRunningSeconds       what the log integrates to as of {@code counterReadAt} (as of now without one)
 * @param agentRunningSeconds        the hosts' counters summed, restarts carried; null without one
 * @param difference                 logged minus agent; null without a counter
 * @param tolerance                  the difference either way that whole-second resolution explains
 * @param billedRunningSeconds       what the rollups bill: its {@code instance.seconds} hours plus their adjustments
 * @param rollupsComputedAt          when a recompute last wrote its rollups; null when never
 * @param rollupBehindSeconds        what a pending recompute will change in what is billed ({@code Reconciliation.rollupBehind})
 * @param duplicateDeliveriesIgnored deliveries of facts the log already held: refused, never billed
 * @param counterResets              how often a counter restarted from 0 (its agent lost its ledger)
 * @param counters                   each host's counter
 */
public record InstanceReconciliation(String instanceId, String tenantId, Instant counterReadAt, long loggedRunningSeconds,
                                     Long agentRunningSeconds, Long difference, long tolerance, long billedRunningSeconds,
                                     Instant rollupsComputedAt, long rollupBehindSeconds, long duplicateDeliveriesIgnored, long counterResets,
                                     ReconciliationCause likelyCause, String explanation, List<HostCounter> counters) {

    /**
     * One host's counter of the guest.
     *
     * @param runningSeconds the seconds it counted, including those carried over its restarts
     * @param power          the guest's power at the reading, in the agent's words
     */
    public record HostCounter(String hostId, long runningSeconds, long resets, String power, Instant readAt) {
    }
}
