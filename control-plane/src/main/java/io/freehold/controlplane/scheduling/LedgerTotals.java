package io.freehold.controlplane.scheduling;

import java.util.List;
import java.util.Map;

import io.freehold.controlplane.inventory.HostAllocations;
import io.freehold.controlplane.inventory.decision.Capacity.Resources;
import io.freehold.controlplane.tenancy.QuotaUsage;
import io.freehold.controlplane.tenancy.QuotaUsed;
import org.springframework.stereotype.Component;

/** The ledger's sums, as inventory's capacity views and tenancy's quota view ask for them. */
@Component
class LedgerTotals implements HostAllocations, QuotaUsage {

    private final AllocationStore allocations;

    LedgerTotals(AllocationStore allocations) {
        this.allocations = allocations;
    }

    @Override
    public Map<String, Resources> allocatedByHost() {
        return allocations.allocatedByHost();
    }

    @Override
    public Resources allocatedOn(String hostId) {
        return allocations.allocatedOn(List.of(hostId)).getOrDefault(hostId, Resources.NONE);
    }

    @Override
    public int consumersOn(String hostId) {
        return allocations.countOn(hostId);
    }

    @Override
    public QuotaUsed usedBy(String tenantId) {
        return allocations.usedBy(tenantId);
    }
}
