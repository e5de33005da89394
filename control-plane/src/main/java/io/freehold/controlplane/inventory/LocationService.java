package io.freehold.controlplane.inventory;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.freehold.controlplane.platform.audit.AuditTrail;
import io.freehold.controlplane.platform.ids.IdGenerator;
import io.freehold.controlplane.platform.security.Caller;
import io.freehold.controlplane.platform.security.Capability;
import io.freehold.controlplane.platform.web.ApiProblem;
import io.freehold.controlplane.platform.web.Page;
import io.freehold.controlplane.platform.web.PageRequest;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Rooms, cages, halls and floors inside a site; a location can be deleted once no rack stands in it. */
@Service
class LocationService {

    private final LocationStore locations;
    private final SiteStore sites;
    private final AuditTrail audit;
    private final IdGenerator ids;
    private final Clock clock;

    LocationService(LocationStore locations, SiteStore sites, AuditTrail audit, IdGenerator ids, Clock clock) {
        this.locations = locations;
        this.sites = sites;
        this.audit = audit;
        this.ids = ids;
        this.clock = clock;
    }

    @Transactional
    Location create(Caller caller, String siteId, SiteRequests.CreateLocation request) {
        caller.require(Capability.WRITE_OPS);
        // Shared: a concurrent delete of the site waits for this location, then sees it.
        sites.lockShared(InventoryIds.inPath(Site.ID_PREFIX, "site", siteId)).orElseThrow(() -> ApiProblem.notFound("site", siteId));
        Instant now = clock.instant();
        Location location = new Location(ids.next(Location.ID_PREFIX), siteId, request.name().strip(), request.kind(), now, now);
        if (!locations.insert(location)) {
            throw ApiProblem.conflict("the site already has a location named '" + location.name() + "'");
        }
        audit.succeeded(caller, null, "location.create", location.id(), Map.of("siteId", siteId, "name", location.name()));
        return location;
    }

    Page<Location> list(Caller caller, String siteId, PageRequest page) {
        caller.require(Capability.READ_OPS);
        sites.find(InventoryIds.inPath(Site.ID_PREFIX, "site", siteId)).orElseThrow(() -> ApiProblem.notFound("site", siteId));
        return Page.of(locations.list(siteId, page), page, Location::id);
    }

    @Transactional
    Location update(Caller caller, String siteId, String id, SiteRequests.UpdateLocation request) {
        caller.require(Capability.WRITE_OPS);
        Location current = lockIn(siteId, id);
        Location updated = new Location(id, siteId, request.name() == null ? current.name() : request.name().strip(),
                request.kind() == null ? current.kind() : request.kind(), current.createdAt(), clock.instant());
        if (!locations.update(updated)) {
            throw ApiProblem.conflict("the site already has a location named '" + updated.name() + "'");
        }
        audit.succeeded(caller, null, "location.update", id, Map.of("name", updated.name(), "kind", updated.kind().wireName()));
        return updated;
    }

    @Transactional
    void delete(Caller caller, String siteId, String id) {
        caller.require(Capability.WRITE_OPS);
        Location location = lockIn(siteId, id);
        List<String> racks = locations.rackNames(id);
        if (!racks.isEmpty()) {
            throw ApiProblem.conflict("location '" + location.name() + "' still holds " + Holdings.describe(Holdings.quoted(racks), "rack")
                    + "; move or delete them first");
        }
        locations.delete(id);
        audit.succeeded(caller, null, "location.delete", id, Map.of("siteId", siteId, "name", location.name()));
    }

    /** The location, locked; 404 unless it exists inside that very site. */
    private Location lockIn(String siteId, String id) {
        InventoryIds.inPath(Site.ID_PREFIX, "site", siteId);
        return locations.lock(InventoryIds.inPath(Location.ID_PREFIX, "location", id))
                .filter(location -> location.siteId().equals(siteId))
                .orElseThrow(() -> ApiProblem.notFound("location", id));
    }
}
