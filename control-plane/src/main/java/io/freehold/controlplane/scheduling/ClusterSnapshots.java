package io.freehold.controlplane.scheduling;

import java.util.Comparator;
import java.util.HashMap;
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

/**
 * Reads what the planner needs, hosts with what is allocated on them and a group's members, as plain
 * values. Each replica keeps the hosts it read last: before every plan it reads only the hosts' versions
 * and then afresh the few hosts whose version moved, so that a plan over 10,000 hosts does not read
 * 10,000 rows. Nothing depends on this view being current: the applier re-checks every chosen host under
 * its row lock.
 */
@Component
class ClusterSnapshots {

    private final PlacementHosts hosts;
    private final AllocationStore allocations;
    /** The hosts read so far, by id; guarded by {@code this}. */
    private final Map<String, HostSnapshot> known = new HashMap<>();
    /** {@link #known} in id order, the planner's input, rebuilt when a host changed; guarded by {@code this}. */
    private ClusterSnapshot current = new ClusterSnapshot(List.of());

    ClusterSnapshots(PlacementHosts hosts, AllocationStore allocations) {
        this.hosts = hosts;
        this.allocations = allocations;
    }

    /**
     * Versions first, then the moved hosts, then their allocations: an allocation committed between the
     * reads is then counted with a version older than the one it bumped, so the next snapshot reads that
     * host again. The other order could pair a new version with old allocations and keep it.
     */
    synchronized ClusterSnapshot take() {
        Map<String, Long> versions = hosts.versions();
        List<String> moved = versions.entrySet().stream()
                .filter(entry -> !known.containsKey(entry.getKey()) || known.get(entry.getKey()).version() != entry.getValue())
                .map(Map.Entry::getKey).toList();
        boolean changed = known.keySet().retainAll(versions.keySet());
        if (!moved.isEmpty()) {
            List<PlaceableHost> fresh = hosts.read(moved);
            Map<String, Resources> allocated = allocations.allocatedOn(moved);
            moved.forEach(known::remove);
            fresh.forEach(host -> known.put(host.id(), snapshot(host, allocated)));
            changed = true;
        }
        if (changed) {
            current = new ClusterSnapshot(known.values().stream().sorted(Comparator.comparing(HostSnapshot::hostId)).toList());
        }
        return current;
    }

    /** The hosts locked by the committing transaction, with what is allocated on them now. */
    List<HostSnapshot> lockAndRead(List<String> hostIds) {
        return withAllocations(hosts.lock(hostIds));
    }

    /** Like {@link #lockAndRead}, leaving out the hosts other transactions hold at the moment. */
    List<HostSnapshot> lockAvailableAndRead(List<String> hostIds) {
        return withAllocations(hosts.lockAvailable(hostIds));
    }

    private List<HostSnapshot> withAllocations(List<PlaceableHost> locked) {
        Map<String, Resources> allocated = allocations.allocatedOn(locked.stream().map(PlaceableHost::id).toList());
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
