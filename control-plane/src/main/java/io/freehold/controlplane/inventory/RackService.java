package io.freehold.controlplane.inventory;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.freehold.controlplane.inventory.decision.RackUnits;
import io.freehold.controlplane.inventory.decision.RackUnits.Occupant;
import io.freehold.controlplane.platform.audit.AuditTrail;
import io.freehold.controlplane.platform.ids.IdGenerator;
import io.freehold.controlplane.platform.security.Caller;
import io.freehold.controlplane.platform.security.Capability;
import io.freehold.controlplane.platform.web.ApiProblem;
import io.freehold.controlplane.platform.web.Page;
import io.freehold.controlplane.platform.web.PageRequest;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Racks in sites (and optionally in a location of that site), and their elevations. */
@Service
class RackService {

    private final RackStore racks;
    private final SiteStore sites;
    private final LocationStore locations;
    private final AuditTrail audit;
    private final IdGenerator ids;
    private final Clock clock;

    RackService(RackStore racks, SiteStore sites, LocationStore locations, AuditTrail audit, IdGenerator ids, Clock clock) {
        this.racks = racks;
        this.sites = sites;
        this.locations = locations;
        this.audit = audit;
        this.ids = ids;
        this.clock = clock;
    }

    @Transactional
    Rack create(Caller caller, RackRequests.Create request) {
        caller.require(Capability.WRITE_OPS);
        String siteId = InventoryIds.inBody(Site.ID_PREFIX, "siteId", "site", request.siteId());
        // Shared locks: deleting the site or location waits for this rack, then sees it.
        sites.lockShared(siteId).orElseThrow(() -> ApiProblem.invalid("siteId", "no site " + siteId));
        Instant now = clock.instant();
        Rack rack = new Rack(ids.next(Rack.ID_PREFIX), siteId, locationIn(siteId, OptionalText.of(request.locationId())),
                request.name().strip(), OptionalText.of(request.facilityId()), OptionalText.of(request.assetTag()),
                OptionalText.of(request.row()), request.heightU() == null ? RackRequests.DEFAULT_HEIGHT_U : request.heightU(),
                request.numbering() == null ? RackNumbering.BOTTOM_UP : request.numbering(), request.powerBudgetKw(),
                request.status() == null ? RackStatus.ACTIVE : request.status(), now, now);
        if (!racks.insert(rack)) {
            throw ApiProblem.conflict("the site already has a rack named '" + rack.name() + "'");
        }
        audit.succeeded(caller, null, "rack.create", rack.id(), describe(rack));
        return rack;
    }

    Page<Rack> list(Caller caller, RackStore.Filter filter, PageRequest page) {
        caller.require(Capability.READ_OPS);
        return Page.of(racks.list(filter, page), page, Rack::id);
    }

    Rack get(Caller caller, String id) {
        caller.require(Capability.READ_OPS);
        return find(id);
    }

    @Transactional
    Rack update(Caller caller, String id, RackRequests.Update request) {
        caller.require(Capability.WRITE_OPS);
        Rack current = racks.lock(InventoryIds.inPath(Rack.ID_PREFIX, "rack", id)).orElseThrow(() -> ApiProblem.notFound("rack", id));
        String locationId = request.locationId() == null ? current.locationId()
                : locationIn(current.siteId(), OptionalText.of(request.locationId()));
        int heightU = request.heightU() == null ? current.heightU() : request.heightU();
        RackUnits.above(racks.occupants(id), heightU).ifPresent(occupant -> {
            throw ApiProblem.conflict(occupant.describe() + " occupies units " + occupant.positionU() + "–" + occupant.topU()
                    + ", which a " + heightU + "U rack does not have; move it first");
        });
        Rack updated = new Rack(id, current.siteId(), locationId,
                request.name() == null ? current.name() : request.name().strip(),
                OptionalText.replaced(request.facilityId(), current.facilityId()),
                OptionalText.replaced(request.assetTag(), current.assetTag()),
                OptionalText.replaced(request.row(), current.row()),
                heightU,
                request.numbering() == null ? current.numbering() : request.numbering(),
                request.powerBudgetKw() == null ? current.powerBudgetKw() : request.powerBudgetKw(),
                request.status() == null ? current.status() : request.status(),
                current.createdAt(), clock.instant());
        if (!racks.update(updated)) {
            throw ApiProblem.conflict("the site already has a rack named '" + updated.name() + "'");
        }
        audit.succeeded(caller, null, "rack.update", id, describe(updated));
        return updated;
    }

    @Transactional
    void delete(Caller caller, String id) {
        caller.require(Capability.WRITE_OPS);
        Rack rack = racks.lock(InventoryIds.inPath(Rack.ID_PREFIX, "rack", id)).orElseThrow(() -> ApiProblem.notFound("rack", id));
        List<Occupant> hosts = racks.occupants(id);
        if (!hosts.isEmpty()) {
            throw ApiProblem.conflict("rack '" + rack.name() + "' still holds "
                    + Holdings.describe(hosts.stream().map(Occupant::describe).toList(), "host") + "; move or delete them first");
        }
        racks.delete(id);
        audit.succeeded(caller, null, "rack.delete", id, Map.of("siteId", rack.siteId(), "name", rack.name()));
    }

    RackElevation elevation(Caller caller, String id) {
        caller.require(Capability.READ_OPS);
        Rack rack = find(id);
        return new RackElevation(rack.id(), rack.name(), rack.heightU(), rack.numbering(),
                RackUnits.elevation(rack.heightU(), rack.numbering() == RackNumbering.TOP_DOWN, racks.occupants(id)));
    }

    /** The rack; 404 when there is none. */
    Rack find(String id) {
        return racks.find(InventoryIds.inPath(Rack.ID_PREFIX, "rack", id)).orElseThrow(() -> ApiProblem.notFound("rack", id));
    }

    /** The location to put a rack in, which must be in the rack's site; null for none. */
    private String locationIn(String siteId, String locationId) {
        if (locationId == null) {
            return null;
        }
        Location location = locations.lockShared(InventoryIds.inBody(Location.ID_PREFIX, "locationId", "location", locationId))
                .orElseThrow(() -> ApiProblem.invalid("locationId", "no location " + locationId));
        if (!location.siteId().equals(siteId)) {
            throw ApiProblem.invalid("locationId", "location '" + location.name() + "' is in another site than the rack");
        }
        return locationId;
    }

    private static Map<String, Object> describe(Rack rack) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("siteId", rack.siteId());
        if (rack.locationId() != null) {
            details.put("locationId", rack.locationId());
        }
        details.put("name", rack.name());
        details.put("heightU", rack.heightU());
        details.put("status", rack.status().wireName());
        return details;
    }
}
