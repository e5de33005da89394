package io.freehold.controlplane.compute;

import java.util.List;

import io.freehold.controlplane.compute.decision.PowerState;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/** What billing prices of a tenant's instances now: the sizes and the wanted power state of each live one. */
@Component
public class LiveInstanceShapes {

    /** A live instance's sizes as its spec has them, and whether the tenant wants it running or stopped. */
    public record LiveShape(String instanceId, int vcpus, long memoryMib, long rootDiskGib, PowerState powerState) {
    }

    private final InstanceStore store;

    LiveInstanceShapes(InstanceStore store) {
        this.store = store;
    }

    /** The tenant's live (not deleted) instances, in id order, whatever their phase; none for an unknown tenant. */
    @Transactional(readOnly = true)
    public List<LiveShape> of(String tenantId) {
        return store.liveShapes(tenantId);
    }
}
