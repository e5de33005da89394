package io.freehold.controlplane.compute;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.freehold.controlplane.compute.decision.GuestObservation.ObservedPower;
import io.freehold.controlplane.platform.queue.WorkQueue;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * What hosts observe about their guests, entering the instance reconciler: each observation is kept with the
 * instance and queues it, so the reconciler compares it with the spec and the last command
 * ({@link io.freehold.controlplane.compute.decision.InstanceDecisions#converge}).
 */
@Component
public class InstanceObservations {

    private final InstanceStore instances;
    private final WorkQueue queue;

    InstanceObservations(InstanceStore instances, WorkQueue queue) {
        this.instances = instances;
        this.queue = queue;
    }

    /**
     * Whether the instance, live or deleted, is the tenant's and was placed on the host: a host may report
     * only about its own guests.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public boolean isOn(String instanceId, String tenantId, String hostId) {
        return instances.placement(instanceId)
                .filter(placement -> placement.tenantId().equals(tenantId) && hostId.equals(placement.hostId()))
                .isPresent();
    }

    /** One guest's observation, from a lifecycle report. */
    @Transactional(propagation = Propagation.MANDATORY)
    public void observed(String hostId, String instanceId, ObservedPower power, long appliedSeq, Instant observedAt, Instant now) {
        queue.enqueue(InstanceService.QUEUE_KIND, instanceId, now);
        instances.observe(instanceId, hostId, power, appliedSeq, observedAt);
    }

    /**
     * The host's whole guest list, from its Hello: every live instance placed there is observed, those missing
     * from the list as {@link ObservedPower#ABSENT}, and queued — the resync of ARCHITECTURE §3.3.
     *
     * @return the live instances placed on the host
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public List<String> hostListed(String hostId, Map<String, ObservedPower> guests, long appliedSeq, Instant observedAt, Instant now) {
        List<String> placed = instances.liveIdsOnHost(hostId);
        // Queued before the rows are locked by the updates, in the order every writer takes (WorkQueue).
        placed.forEach(id -> queue.enqueue(InstanceService.QUEUE_KIND, id, now));
        placed.forEach(id -> instances.observe(id, hostId, guests.getOrDefault(id, ObservedPower.ABSENT), appliedSeq, observedAt));
        return placed;
    }
}
