package io.freehold.controlplane.inventory;

import java.net.URI;
import java.util.List;

import io.freehold.controlplane.platform.security.Caller;
import io.freehold.controlplane.platform.web.ApiProblem;
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

/**
 * Hosts: slots, details, changes, and the actions cordon, uncordon and revoke. Actions are POSTs
 * rather than field changes because each is an operator's decision with its own audit entry and host
 * event, and repeating one is harmless.
 */
@RestController
@RequestMapping("/api/v1/ops/hosts")
class HostController {

    private final HostService hosts;
    private final HostActions actions;
    private final CapacityService capacity;

    HostController(HostService hosts, HostActions actions, CapacityService capacity) {
        this.hosts = hosts;
        this.actions = actions;
        this.capacity = capacity;
    }

    @PostMapping
    ResponseEntity<Host> create(Caller caller, @Valid @RequestBody HostRequests.Create request) {
        Host host = hosts.create(caller, request);
        return ResponseEntity.created(URI.create("/api/v1/ops/hosts/" + host.id())).body(host);
    }

    @GetMapping
    Page<Host> list(Caller caller, @RequestParam(required = false) String state, @RequestParam(required = false) String site,
                    @RequestParam(required = false) String rack, @RequestParam(required = false) List<String> label,
                    @RequestParam(required = false) String cordoned,
                    @RequestParam(required = false) String limit, @RequestParam(required = false) String cursor) {
        HostStore.Filter filter = new HostStore.Filter(
                QueryParams.enumValue("state", state, HostState.class),
                InventoryIds.inQuery(Site.ID_PREFIX, "site", "site", site),
                InventoryIds.inQuery(Rack.ID_PREFIX, "rack", "rack", rack),
                Labels.filter(label),
                flag("cordoned", cordoned));
        return hosts.list(caller, filter, InventoryIds.page(HostRegistry.HOST_ID_PREFIX, limit, cursor));
    }

    @GetMapping("/{hostId}")
    Host get(Caller caller, @PathVariable String hostId) {
        return hosts.get(caller, hostId);
    }

    @PatchMapping("/{hostId}")
    Host update(Caller caller, @PathVariable String hostId, @Valid @RequestBody HostRequests.Update request) {
        return hosts.update(caller, hostId, request);
    }

    @DeleteMapping("/{hostId}")
    ResponseEntity<Void> delete(Caller caller, @PathVariable String hostId) {
        hosts.delete(caller, hostId);
        return ResponseEntity.noContent().build();
    }

    @PostMapping("/{hostId}/cordon")
    Host cordon(Caller caller, @PathVariable String hostId) {
        return actions.cordon(caller, hostId, true);
    }

    @PostMapping("/{hostId}/uncordon")
    Host uncordon(Caller caller, @PathVariable String hostId) {
        return actions.cordon(caller, hostId, false);
    }

    @PostMapping("/{hostId}/revoke")
    Host revoke(Caller caller, @PathVariable String hostId, @Valid @RequestBody(required = false) HostRequests.Revoke request) {
        return actions.revoke(caller, hostId, request == null ? null : request.reason());
    }

    @GetMapping("/{hostId}/events")
    Page<HostEvent> events(Caller caller, @PathVariable String hostId,
                           @RequestParam(required = false) String limit, @RequestParam(required = false) String cursor) {
        return hosts.events(caller, hostId, InventoryIds.page(HostEvent.ID_PREFIX, limit, cursor));
    }

    @GetMapping("/{hostId}/capacity")
    HostCapacityView capacity(Caller caller, @PathVariable String hostId) {
        return capacity.ofHost(caller, hostId);
    }

    private static Boolean flag(String parameter, String value) {
        if (value == null) {
            return null;
        }
        return switch (value) {
            case "true" -> true;
            case "false" -> false;
            default -> throw ApiProblem.malformed(parameter, "must be true or false");
        };
    }
}
