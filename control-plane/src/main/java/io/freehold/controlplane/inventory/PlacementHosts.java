package io.freehold.controlplane.inventory;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.freehold.controlplane.inventory.decision.Capacity.Resources;
import org.springframework.stereotype.Component;

/**
 * What placement reads of hosts and how it serialises with every other change to them: a snapshot to
 * plan on, and, in the committing transaction, the chosen hosts locked and read afresh. Ops' changes to
 * a host (ratios, reservations, cordon, delete) take the same row lock, so a plan is checked against
 * what the host is at the moment of commit.
 */
@Component
public class PlacementHosts {

    private final HostStore hosts;
    private final SiteStore sites;

    PlacementHosts(HostStore hosts, SiteStore sites) {
        this.hosts = hosts;
        this.sites = sites;
    }

    public boolean siteExists(String siteId) {
        return sites.find(siteId).isPresent();
    }

    /**
     * The version of every host that is not revoked. Every change to what a host is or may hold bumps its
     * version, so a reader that kept hosts from an earlier read needs to read again only those whose
     * version moved.
     */
    public Map<String, Long> versions() {
        return hosts.versionsOfCounted();
    }

    /** These hosts, those of them that are not revoked, in id order. */
    public List<PlaceableHost> read(Collection<String> hostIds) {
        return hosts.countedAmong(hostIds).stream().map(PlacementHosts::placeable).toList();
    }

    /**
     * Locks, until the transaction ends, those of the hosts no other transaction holds, without waiting,
     * and returns them as they are now; a host missing from the answer is held elsewhere or gone.
     */
    public List<PlaceableHost> lockAvailable(Collection<String> hostIds) {
        return hosts.lockAvailable(hostIds).stream().map(PlacementHosts::placeable).toList();
    }

    /**
     * Locks the host until the transaction ends, waiting for a transaction that holds it, and returns it as
     * it is now: for a change to one allocation on a host that is already known, where there is no other
     * host to try instead.
     */
    public Optional<PlaceableHost> lock(String hostId) {
        return hosts.lock(hostId).map(PlacementHosts::placeable);
    }

    /** Records that allocations on these hosts changed, so plans made on an older snapshot are re-checked. */
    public void allocationsChanged(Collection<String> hostIds) {
        hosts.bumpVersions(hostIds);
    }

    private static PlaceableHost placeable(Host host) {
        return new PlaceableHost(host.id(), host.siteId(), host.rackId(), host.state(), host.cordoned(), host.labels(),
                CapacityService.capacity(host, Resources.NONE).allocatable(), host.version());
    }
}
