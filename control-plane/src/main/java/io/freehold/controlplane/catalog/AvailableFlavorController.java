package io.freehold.controlplane.catalog;

import io.freehold.controlplane.platform.ids.Base32;
import io.freehold.controlplane.platform.security.Caller;
import io.freehold.controlplane.platform.web.Page;
import io.freehold.controlplane.platform.web.PageRequest;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The flavors a tenant may choose from, at {@code /flavors}; operators name the tenant with {@code ?tenant=}. */
@RestController
@RequestMapping("/api/v1/flavors")
class AvailableFlavorController {

    private final Flavors flavors;

    AvailableFlavorController(Flavors flavors) {
        this.flavors = flavors;
    }

    @GetMapping
    Page<AvailableFlavor> list(Caller caller, @RequestParam(required = false) String tenant,
                               @RequestParam(required = false) String limit, @RequestParam(required = false) String cursor) {
        return flavors.available(caller, tenant, PageRequest.parse(limit, cursor, id -> Base32.isId(Flavor.ID_PREFIX, id)));
    }

    @GetMapping("/{flavorId}")
    AvailableFlavor get(Caller caller, @PathVariable String flavorId, @RequestParam(required = false) String tenant) {
        return flavors.available(caller, tenant, flavorId);
    }
}
