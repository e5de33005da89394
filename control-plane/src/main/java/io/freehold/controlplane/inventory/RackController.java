package io.freehold.controlplane.inventory;

import java.net.URI;

import io.freehold.controlplane.platform.security.Caller;
import io.freehold.controlplane.platform.web.Page;
import io.freehold.controlplane.platform.web.QueryParams;
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

/** Racks, their elevations and their capacity. */
@RestController
@RequestMapping("/api/v1/ops/racks")
class RackController {

    private final RackService racks;
    private final CapacityService capacity;

    RackController(RackService racks, CapacityService capacity) {
        this.racks = racks;
        this.capacity = capacity;
    }

    @PostMapping
    ResponseEntity<Rack> create(Caller caller, @Valid @RequestBody RackRequests.Create request) {
        Rack rack = racks.create(caller, request);
        return ResponseEntity.created(URI.create("/api/v1/ops/racks/" + rack.id())).body(rack);
    }

    @GetMapping
    Page<Rack> list(Caller caller, @RequestParam(required = false) String site, @RequestParam(required = false) String location,
                    @RequestParam(required = false) String status,
                    @RequestParam(required = false) String limit, @RequestParam(required = false) String cursor) {
        RackStore.Filter filter = new RackStore.Filter(
                InventoryIds.inQuery(Site.ID_PREFIX, "site", "site", site),
                InventoryIds.inQuery(Location.ID_PREFIX, "location", "location", location),
                QueryParams.enumValue("status", status, RackStatus.class));
        return racks.list(caller, filter, InventoryIds.page(Rack.ID_PREFIX, limit, cursor));
    }

    @GetMapping("/{rackId}")
    Rack get(Caller caller, @PathVariable String rackId) {
        return racks.get(caller, rackId);
    }

    @PatchMapping("/{rackId}")
    Rack update(Caller caller, @PathVariable String rackId, @Valid @RequestBody RackRequests.Update request) {
        return racks.update(caller, rackId, request);
    }

    @DeleteMapping("/{rackId}")
    ResponseEntity<Void> delete(Caller caller, @PathVariable String rackId) {
        racks.delete(caller, rackId);
        return ResponseEntity.noContent().build();
    }

    @GetMapping("/{rackId}/elevation")
    RackElevation elevation(Caller caller, @PathVariable String rackId) {
        return racks.elevation(caller, rackId);
    }

    @GetMapping("/{rackId}/capacity")
    CapacityTotals capacity(Caller caller, @PathVariable String rackId) {
        return capacity.ofRack(caller, rackId);
    }
}
