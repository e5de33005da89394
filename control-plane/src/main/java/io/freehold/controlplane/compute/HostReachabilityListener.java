package io.freehold.controlplane.compute;

import io.freehold.controlplane.inventory.HostStateChanged;
import io.freehold.controlplane.platform.queue.WorkQueue;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Queues a host's instances when it is lost or comes back, so their {@code HostReachable} condition follows
 * within one reconcile pass; the sweep catches any the queue missed (InstanceStore#unsettledIds).
 */
@Component
class HostReachabilityListener {

    private final InstanceStore instances;
    private final WorkQueue queue;

    HostReachabilityListener(InstanceStore instances, WorkQueue queue) {
        this.instances = instances;
        this.queue = queue;
    }

    /** Runs in the transaction that changed the host's state. */
    @EventListener
    void hostStateChanged(HostStateChanged change) {
        if (change.reachabilityChanged()) {
            queue.enqueueMissing(InstanceService.QUEUE_KIND, instances.liveIdsOnHost(change.hostId()), change.at());
        }
    }
}
