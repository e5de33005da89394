package io.freehold.controlplane.inventory;

import java.util.Map;

import io.freehold.controlplane.inventory.decision.Capacity.Resources;

/**
 * What placement has allocated on hosts, for the capacity views and for refusing to delete a host that
 * still holds guests. Scheduling provides it: inventory cannot depend on scheduling, which depends on
 * inventory.
 */
public interface HostAllocations {

    /** @return the resources allocated on each host that holds any; hosts holding nothing are absent */
    Map<String, Resources> allocatedByHost();

    Resources allocatedOn(String hostId);

    /** @return how many consumers hold allocations on the host */
    int consumersOn(String hostId);
}
