package io.freehold.controlplane.scheduling;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import io.freehold.controlplane.inventory.PlaceableHost;
import io.freehold.controlplane.inventory.PlacementHosts;
import io.freehold.controlplane.inventory.decision.Capacity.Resources;
import io.freehold.controlplane.scheduling.decision.ClusterSnapshot;
import io.freehold.controlplane.scheduling.decision.GroupRule;
import io.freehold.controlplane.scheduling.decision.HostSnapshot;
import org.springframework.stereotype.Component;

/** Reads what the planner needs, hosts with what is allocated on them and a group's members, as plain values. */
@Component
class ClusterSnapshots {

    private final PlacementHosts hosts;
    private final AllocationStore allocations;

    ClusterSnapshots(PlacementHosts hosts, AllocationStore allocations) {
        this.hosts = hosts;
        this.allocations = allocations;
    }

    /**
     * Hosts first, allocations second: an allocation committed between the two reads is then counted with
     * a version older than the one it bumped, so the applier re-checks that host. The other order could
     * pair a new version with old allocations, and the applier would trust a view that is no longer true.
     */
    ClusterSnapshot take() {
        List<PlaceableHost> placeable = hosts.snapshot();
        Map<String, Resources> allocated = allocations.allocatedByHost();
        return new ClusterSnapshot(placeable.stream().map(host -> snapshot(host, allocated)).toList());
    }

    /** The hosts locked by the committing transaction, with what is allocated on them now. */
    List<HostSnapshot> lockAndRead(List<String> hostIds) {
        List<PlaceableHost> locked = hosts.lock(hostIds);
        Map<String, Resources> allocated = allocations.allocatedOn(hostIds);
        return locked.stream().map(host -> snapshot(host, allocated)).toList();
    }

    /** Bumps the hosts' versions, so that plans made before this allocation change are re-checked. */
    void allocationsChanged(List<String> hostIds) {
        hosts.allocationsChanged(hostIds);
    }

    /** The group's rule with where its members are now; read under the group's lock, so it cannot change meanwhile. */
    GroupRule rule(PlacementGroup group, ClusterSnapshot snapshot) {
        Set<String> memberHosts = Set.copyOf(allocations.groupHosts(group.id()));
        Map<String, String> rackOf = snapshot.hosts().stream().filter(host -> host.rackId() != null)
                .collect(Collectors.toMap(HostSnapshot::hostId, HostSnapshot::rackId));
        Set<String> memberRacks = memberHosts.stream().map(rackOf::get).filter(rack -> rack != null).collect(Collectors.toSet());
        return new GroupRule(group.id(), PolicyNames.policy(group.policy()), memberHosts, memberRacks);
    }

    private static HostSnapshot snapshot(PlaceableHost host, Map<String, Resources> allocated) {
        return new HostSnapshot(host.id(), host.siteId(), host.rackId(), host.state(), host.cordoned(), host.labels(), host.allocatable(),
                allocated.getOrDefault(host.id(), Resources.NONE), host.version());
    }
}
