package io.freehold.controlplane.catalog;

import java.net.URI;

import io.freehold.controlplane.platform.ids.Base32;
import io.freehold.controlplane.platform.security.Caller;
import io.freehold.controlplane.platform.web.Page;
import io.freehold.controlplane.platform.web.PageRequest;
import jakarta.validation.Valid;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The operators' flavor catalog and the access lists of limited flavors. */
@RestController
@RequestMapping("/api/v1/ops/flavors")
class FlavorController {

    /** Grants are listed by tenant id; tenant ids carry this prefix. */
    private static final String TENANT_ID_PREFIX = "t";

    private final FlavorService flavors;

    FlavorController(FlavorService flavors) {
        this.flavors = flavors;
    }

    @PostMapping
    ResponseEntity<Flavor> create(Caller caller, @Valid @RequestBody FlavorRequests.Create request) {
        Flavor flavor = flavors.create(caller, request);
        return ResponseEntity.created(URI.create("/api/v1/ops/flavors/" + flavor.id())).body(flavor);
    }

    @GetMapping
    Page<Flavor> list(Caller caller, @RequestParam(required = false) String limit, @RequestParam(required = false) String cursor) {
        return flavors.list(caller, PageRequest.parse(limit, cursor, id -> Base32.isId(Flavor.ID_PREFIX, id)));
    }

    @GetMapping("/{flavorId}")
    Flavor get(Caller caller, @PathVariable String flavorId) {
        return flavors.get(caller, flavorId);
    }

    @PatchMapping("/{flavorId}")
    Flavor update(Caller caller, @PathVariable String flavorId, @Valid @RequestBody FlavorRequests.Update request) {
        return flavors.update(caller, flavorId, request);
    }

    @DeleteMapping("/{flavorId}")
    ResponseEntity<Void> delete(Caller caller, @PathVariable String flavorId) {
        flavors.delete(caller, flavorId);
        return ResponseEntity.noContent().build();
    }

    @GetMapping("/{flavorId}/tenants")
    Page<FlavorGrant> grants(Caller caller, @PathVariable String flavorId,
                             @RequestParam(required = false) String limit, @RequestParam(required = false) String cursor) {
        return flavors.grants(caller, flavorId, PageRequest.parse(limit, cursor, id -> Base32.isId(TENANT_ID_PREFIX, id)));
    }

    @PutMapping("/{flavorId}/tenants/{tenantId}")
    FlavorGrant grant(Caller caller, @PathVariable String flavorId, @PathVariable String tenantId) {
        return flavors.grant(caller, flavorId, tenantId);
    }

    @DeleteMapping("/{flavorId}/tenants/{tenantId}")
    ResponseEntity<Void> revoke(Caller caller, @PathVariable String flavorId, @PathVariable String tenantId) {
        flavors.revoke(caller, flavorId, tenantId);
        return ResponseEntity.noContent().build();
    }
}
