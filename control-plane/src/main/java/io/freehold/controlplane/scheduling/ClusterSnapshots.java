package io.freehold.controlplane.scheduling;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

import io.freehold.controlplane.inventory.PlaceableHost;
import io.freehold.controlplane.inventory.PlacementHosts;
import io.freehold.controlplane.inventory.decision.Capacity.Resources;
import io.freehold.controlplane.scheduling.decision.ClusterSnapshot;
import io.freehold.controlplane.scheduling.decision.GroupRule;
import io.freehold.controlplane.scheduling.decision.HostSnapshot;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

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
    /** The hosts read so far, by id for lookups and in id order for the planner; guarded by {@code this}. */
    private final Map<String, HostSnapshot> byId = new HashMap<>();
    private final TreeMap<String, HostSnapshot> inOrder = new TreeMap<>();
    /** {@link #inOrder} as the planner's input, rebuilt when a host changed; guarded by {@code this}. */
    private ClusterSnapshot current = new ClusterSnapshot(List.of());

    private final long maxAgeNanos;
    /** When {@link #current} was read, by {@link System#nanoTime()}; guarded by {@code this}. */
    private long takenAt;

    ClusterSnapshots(PlacementHosts hosts, AllocationStore allocations,
                     @Value("${freehold.scheduling.snapshot-max-age}") Duration maxAge) {
        this.hosts = hosts;
        this.allocations = allocations;
        this.maxAgeNanos = maxAge.toNanos();
        this.takenAt = System.nanoTime() - maxAgeNanos - 1;
    }

    /**
     * The last snapshot while it is younger than the configured maximum age, else a new one: what the
     * first round of a reservation plans on, so that a busy replica reads the hosts' versions a few
     * times a second rather than once per transaction.
     */
    synchronized ClusterSnapshot recent() {
        return System.nanoTime() - takenAt < maxAgeNanos ? current : take();
    }

    /**
     * Versions first, then the moved hosts, then their allocations: an allocation committed between the
     * reads is then counted with a version older than the one it bumped, so the next snapshot reads that
     * host again. The other order could pair a new version with old allocations and keep it.
     *
     * <p>The reads run in the caller's transaction, so they see its own uncommitted changes; should it roll
     * back, what it read is forgotten, because a version it bumped may be taken again by a later change.
     */
    synchronized ClusterSnapshot take() {
        forgetOnRollback();
        takenAt = System.nanoTime();
        Map<String, Long> versions = hosts.versions();
        List<String> moved = new ArrayList<>();
        int stillKnown = 0;
        for (Map.Entry<String, Long> entry : versions.entrySet()) {
            HostSnapshot known = byId.get(entry.getKey());
            if (known != null) {
                stillKnown++;
            }
            if (known == null || known.version() != entry.getValue()) {
                moved.add(entry.getKey());
            }
        }
        boolean changed = stillKnown < byId.size();
        if (changed) {
            byId.keySet().retainAll(versions.keySet());
            inOrder.keySet().retainAll(versions.keySet());
        }
        if (!moved.isEmpty()) {
            List<PlaceableHost> fresh = hosts.read(moved);
            Map<String, Resources> allocated = allocations.allocatedOn(moved);
            moved.forEach(id -> {
                byId.remove(id);
                inOrder.remove(id);
            });
            for (PlaceableHost host : fresh) {
                HostSnapshot snapshot = snapshot(host, allocated);
                byId.put(host.id(), snapshot);
                inOrder.put(host.id(), snapshot);
            }
            changed = true;
        }
        if (changed) {
            current = new ClusterSnapshot(new ArrayList<>(inOrder.values()));
        }
        return current;
    }

    /** Once per transaction: a marker bound to it says the synchronization is registered already. */
    private void forgetOnRollback() {
        if (!TransactionSynchronizationManager.isSynchronizationActive() || TransactionSynchronizationManager.hasResource(this)) {
            return;
        }
        TransactionSynchronizationManager.bindResource(this, Boolean.TRUE);
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCompletion(int status) {
                TransactionSynchronizationManager.unbindResourceIfPossible(ClusterSnapshots.this);
                if (status != STATUS_COMMITTED) {
                    forget();
                }
            }
        });
    }

    private synchronized void forget() {
        byId.clear();
        inOrder.clear();
        current = new ClusterSnapshot(List.of());
        takenAt = System.nanoTime() - maxAgeNanos - 1;
    }

    /**
     * Locks those of the hosts no other transaction holds and reads them, with what is allocated on them,
     * as they are now: what the committing transaction re-checks its plans against.
     */
    List<HostSnapshot> lockAvailableAndRead(List<String> hostIds) {
        return withAllocations(hosts.lockAvailable(hostIds));
    }

    /** Locks the host, waiting for another transaction that holds it, and reads it with what is allocated on it as it is now. */
    Optional<HostSnapshot> lockAndRead(String hostId) {
        return hosts.lock(hostId).map(host -> withAllocations(List.of(host)).get(0));
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
