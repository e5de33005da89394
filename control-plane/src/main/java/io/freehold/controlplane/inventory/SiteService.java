package io.freehold.controlplane.inventory;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
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

/** Operators model their data centers as sites; a site can be deleted once nothing is left in it. */
@Service
class SiteService {

    private final SiteStore sites;
    private final AuditTrail audit;
    private final IdGenerator ids;
    private final Clock clock;

    SiteService(SiteStore sites, AuditTrail audit, IdGenerator ids, Clock clock) {
        this.sites = sites;
        this.audit = audit;
        this.ids = ids;
        this.clock = clock;
    }

    @Transactional
    Site create(Caller caller, SiteRequests.CreateSite request) {
        caller.require(Capability.WRITE_OPS);
        Instant now = clock.instant();
        Site site = new Site(ids.next(Site.ID_PREFIX), request.name().strip(), request.address() == null ? "" : request.address().strip(),
                timezone(request.timezone()), now, now);
        if (!sites.insert(site)) {
            throw ApiProblem.conflict("site name '" + site.name() + "' is already taken");
        }
        audit.succeeded(caller, null, "site.create", site.id(), Map.of("name", site.name(), "timezone", site.timezone()));
        return site;
    }

    Page<Site> list(Caller caller, String name, PageRequest page) {
        caller.require(Capability.READ_OPS);
        return Page.of(sites.list(name, page), page, Site::id);
    }

    Site get(Caller caller, String id) {
        caller.require(Capability.READ_OPS);
        return find(id);
    }

    @Transactional
    Site update(Caller caller, String id, SiteRequests.UpdateSite request) {
        caller.require(Capability.WRITE_OPS);
        Site current = sites.lock(InventoryIds.inPath(Site.ID_PREFIX, "site", id)).orElseThrow(() -> ApiProblem.notFound("site", id));
        Site updated = new Site(current.id(),
                request.name() == null ? current.name() : request.name().strip(),
                request.address() == null ? current.address() : request.address().strip(),
                request.timezone() == null ? current.timezone() : timezone(request.timezone()),
                current.createdAt(), clock.instant());
        if (!sites.update(updated)) {
            throw ApiProblem.conflict("site name '" + updated.name() + "' is already taken");
        }
        audit.succeeded(caller, null, "site.update", id, Map.of("name", updated.name(), "timezone", updated.timezone()));
        return updated;
    }

    @Transactional
    void delete(Caller caller, String id) {
        caller.require(Capability.WRITE_OPS);
        Site site = sites.lock(InventoryIds.inPath(Site.ID_PREFIX, "site", id)).orElseThrow(() -> ApiProblem.notFound("site", id));
        List<String> racks = sites.rackNames(id);
        List<String> locations = sites.locationNames(id);
        if (!racks.isEmpty() || !locations.isEmpty()) {
            throw ApiProblem.conflict("site '" + site.name() + "' still holds " + Holdings.describe(Holdings.quoted(racks), "rack")
                    + (racks.isEmpty() || locations.isEmpty() ? "" : " and ") + Holdings.describe(Holdings.quoted(locations), "location")
                    + "; delete them first");
        }
        sites.delete(id);
        audit.succeeded(caller, null, "site.delete", id, Map.of("name", site.name()));
    }

    /** The site; 404 when there is none. */
    Site find(String id) {
        return sites.find(InventoryIds.inPath(Site.ID_PREFIX, "site", id)).orElseThrow(() -> ApiProblem.notFound("site", id));
    }

    /** An IANA zone id such as Europe/Berlin or UTC; offsets like +02:00 are not zones people live in. */
    private static String timezone(String given) {
        String zone = given.strip();
        if (!ZoneId.getAvailableZoneIds().contains(zone)) {
            throw ApiProblem.invalid("timezone", "'" + zone + "' is not an IANA time zone id such as Europe/Berlin or UTC");
        }
        return zone;
    }
}
