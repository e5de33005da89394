package io.freehold.controlplane.compute;

import java.util.Collection;
import java.util.List;
import java.util.Map;

import io.freehold.controlplane.compute.decision.PowerState;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/** What billing reads of instances: the names invoices print beside ids, and what a tenant's live instances cost now. */
@Component
public class BilledInstances {

    /** A live instance's sizes as its spec has them, and whether the tenant wants it running or stopped. */
    public record LiveShape(String instanceId, int vcpus, long memoryMib, long rootDiskGib, PowerState powerState) {
    }

    private final InstanceStore store;

    BilledInstances(InstanceStore store) {
        this.store = store;
    }

    /** The names of these instances, live or deleted, by id; an id no instance ever had is absent. */
    @Transactional(readOnly = true)
    public Map<String, String> names(Collection<String> instanceIds) {
        return instanceIds.isEmpty() ? Map.of() : store.names(instanceIds);
    }

    /** The tenant's live (not deleted) instances, in id order, whatever their phase; none for an unknown tenant. */
    @Transactional(readOnly = true)
    public List<LiveShape> liveShapes(String tenantId) {
        return store.liveShapes(tenantId);
    }
}
