package io.freehold.controlplane.scheduling;

import java.util.List;

import io.freehold.controlplane.inventory.PlacementHosts;
import io.freehold.controlplane.platform.ids.Base32;
import io.freehold.controlplane.platform.security.Caller;
import io.freehold.controlplane.platform.security.Capability;
import io.freehold.controlplane.platform.web.ApiProblem;
import io.freehold.controlplane.scheduling.decision.HostSnapshot;
import io.freehold.controlplane.scheduling.decision.Planner;
import io.freehold.controlplane.scheduling.decision.RackLossHeadroom;
import org.springframework.stereotype.Service;

/** Rack-loss headroom per site, for operators: could everything on a rack be re-placed if the rack went dark? */
@Service
class HeadroomService {

    /** Fixed, so that the same cluster always gets the same verdict. */
    private static final long SEED = 0;

    private final PlacementHosts hosts;
    private final ClusterSnapshots snapshots;
    private final AllocationStore allocations;
    private final Planner planner;

    HeadroomService(PlacementHosts hosts, ClusterSnapshots snapshots, AllocationStore allocations, Planner planner) {
        this.hosts = hosts;
        this.snapshots = snapshots;
        this.allocations = allocations;
        this.planner = planner;
    }

    SiteHeadroom ofSite(Caller caller, String siteId) {
        caller.require(Capability.READ_OPS);
        if (!Base32.isId("s", siteId) || !hosts.siteExists(siteId)) {
            throw ApiProblem.notFound("site", siteId);
        }
        List<HostSnapshot> siteHosts = snapshots.take().hosts().stream().filter(host -> siteId.equals(host.siteId())).toList();
        List<RackLossHeadroom.Hold> holds = allocations.onHosts(siteHosts.stream().map(HostSnapshot::hostId).toList()).stream()
                .map(allocation -> new RackLossHeadroom.Hold(allocation.consumerRef(), allocation.hostId(), allocation.resources()))
                .toList();
        List<SiteHeadroom.Rack> racks = RackLossHeadroom.of(siteHosts, holds, planner, SEED).stream()
                .map(verdict -> new SiteHeadroom.Rack(verdict.rackId(), verdict.hosts(), verdict.guests(), verdict.survivable(),
                        verdict.unplaceable(), verdict.explanation()))
                .toList();
        return new SiteHeadroom(siteId, racks.stream().allMatch(SiteHeadroom.Rack::survivable), racks);
    }
}
