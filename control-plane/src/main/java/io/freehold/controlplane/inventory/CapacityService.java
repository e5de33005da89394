package io.freehold.controlplane.inventory;

import java.util.List;
import java.util.Map;

import io.freehold.controlplane.inventory.decision.Capacity;
import io.freehold.controlplane.inventory.decision.Capacity.HostCapacity;
import io.freehold.controlplane.inventory.decision.Capacity.Resources;
import io.freehold.controlplane.platform.security.Caller;
import io.freehold.controlplane.platform.security.Capability;
import org.springframework.stereotype.Service;

/**
 * The capacity view of ARCHITECTURE §7 per host, rack and site. Physical resources come from the agent's
 * facts (CPU threads, memory, guest storage), allocated ones from placement's ledger.
 */
@Service
class CapacityService {

    private static final long MIB = 1L << 20;
    private static final long GIB = 1L << 30;

    private final HostService hosts;
    private final HostStore store;
    private final RackService racks;
    private final SiteService sites;
    private final HostAllocations allocations;

    CapacityService(HostService hosts, HostStore store, RackService racks, SiteService sites, HostAllocations allocations) {
        this.hosts = hosts;
        this.store = store;
        this.racks = racks;
        this.sites = sites;
        this.allocations = allocations;
    }

    HostCapacityView ofHost(Caller caller, String id) {
        caller.require(Capability.READ_OPS);
        Host host = hosts.find(id);
        HostCapacity capacity = capacity(host, allocations.allocatedOn(host.id()));
        return new HostCapacityView(host.id(), host.hostname(), host.state(), host.cordoned(), host.facts() != null,
                capacity.physical(), capacity.reserved(), host.cpuRatio(), host.memoryRatio(), host.diskRatio(),
                capacity.allocatable(), capacity.allocated(), capacity.free(), capacity.overcommitted());
    }

    CapacityTotals ofRack(Caller caller, String id) {
        caller.require(Capability.READ_OPS);
        return totals("rack", racks.find(id).id(), store.countedIn(id, null));
    }

    CapacityTotals ofSite(Caller caller, String id) {
        caller.require(Capability.READ_OPS);
        return totals("site", sites.find(id).id(), store.countedIn(null, id));
    }

    private CapacityTotals totals(String scope, String id, List<Host> members) {
        Map<String, Resources> allocated = allocations.allocatedByHost();
        Capacity.Totals totals = Capacity.total(members.stream()
                .map(host -> new Capacity.Member(capacity(host, allocated.getOrDefault(host.id(), Resources.NONE)),
                        host.state() == HostState.READY && !host.cordoned()))
                .toList());
        int measured = (int) members.stream().filter(host -> host.facts() != null).count();
        return new CapacityTotals(scope, id, totals.hosts(), measured, totals.physical(), totals.reserved(), totals.allocatable(),
                totals.allocated(), totals.free(), totals.schedulableFree());
    }

    /** What the host's facts, reservations and ratios let it hold, with what placement allocated on it. */
    static HostCapacity capacity(Host host, Resources allocated) {
        HostFacts facts = host.facts();
        Resources physical = facts == null ? Resources.NONE
                : new Resources(facts.cpuThreads(), facts.memoryBytes() / MIB, facts.storageBytes() / GIB);
        Resources reserved = new Resources(host.reservedVcpus(), host.reservedMemoryMib(), host.reservedDiskGib());
        return Capacity.of(physical, reserved, new Capacity.Ratios(host.cpuRatio(), host.memoryRatio(), host.diskRatio()), allocated);
    }
}
