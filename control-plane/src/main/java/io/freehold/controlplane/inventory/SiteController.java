package io.freehold.controlplane.inventory;

import java.net.URI;

import io.freehold.controlplane.platform.security.Caller;
import io.freehold.controlplane.platform.web.Page;
import jakarta.validation.Valid;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Sites, the locations inside them, and a site's capacity. */
@RestController
@RequestMapping("/api/v1/ops/sites")
class SiteController {

    private final SiteService sites;
    private final LocationService locations;
    private final CapacityService capacity;

    SiteController(SiteService sites, LocationService locations, CapacityService capacity) {
        this.sites = sites;
        this.locations = locations;
        this.capacity = capacity;
    }

    @PostMapping
    ResponseEntity<Site> create(Caller caller, @Valid @RequestBody SiteRequests.CreateSite request) {
        Site site = sites.create(caller, request);
        return ResponseEntity.created(URI.create("/api/v1/ops/sites/" + site.id())).body(site);
    }

    @GetMapping
    Page<Site> list(Caller caller, @RequestParam(required = false) String name,
                    @RequestParam(required = false) String limit, @RequestParam(required = false) String cursor) {
        return sites.list(caller, name, InventoryIds.page(Site.ID_PREFIX, limit, cursor));
    }

    @GetMapping("/{siteId}")
    Site get(Caller caller, @PathVariable String siteId) {
        return sites.get(caller, siteId);
    }

    @PatchMapping("/{siteId}")
    Site update(Caller caller, @PathVariable String siteId, @Valid @RequestBody SiteRequests.UpdateSite request) {
        return sites.update(caller, siteId, request);
    }

    @DeleteMapping("/{siteId}")
    ResponseEntity<Void> delete(Caller caller, @PathVariable String siteId) {
        sites.delete(caller, siteId);
        return ResponseEntity.noContent().build();
    }

    @GetMapping("/{siteId}/capacity")
    CapacityTotals capacity(Caller caller, @PathVariable String siteId) {
        return capacity.ofSite(caller, siteId);
    }

    @PostMapping("/{siteId}/locations")
    ResponseEntity<Location> createLocation(Caller caller, @PathVariable String siteId,
                                            @Valid @RequestBody SiteRequests.CreateLocation request) {
        Location location = locations.create(caller, siteId, request);
        return ResponseEntity.created(URI.create("/api/v1/ops/sites/" + siteId + "/locations/" + location.id())).body(location);
    }

    @GetMapping("/{siteId}/locations")
    Page<Location> listLocations(Caller caller, @PathVariable String siteId,
                                 @RequestParam(required = false) String limit, @RequestParam(required = false) String cursor) {
        return locations.list(caller, siteId, InventoryIds.page(Location.ID_PREFIX, limit, cursor));
    }

    @PatchMapping("/{siteId}/locations/{locationId}")
    Location updateLocation(Caller caller, @PathVariable String siteId, @PathVariable String locationId,
                            @Valid @RequestBody SiteRequests.UpdateLocation request) {
        return locations.update(caller, siteId, locationId, request);
    }

    @DeleteMapping("/{siteId}/locations/{locationId}")
    ResponseEntity<Void> deleteLocation(Caller caller, @PathVariable String siteId, @PathVariable String locationId) {
        locations.delete(caller, siteId, locationId);
        return ResponseEntity.noContent().build();
    }
}
