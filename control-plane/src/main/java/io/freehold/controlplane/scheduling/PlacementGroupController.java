package io.freehold.controlplane.scheduling;

import java.net.URI;

import io.freehold.controlplane.platform.ids.Base32;
import io.freehold.controlplane.platform.security.Caller;
import io.freehold.controlplane.platform.web.Page;
import io.freehold.controlplane.platform.web.PageRequest;
import jakarta.validation.Valid;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** A tenant's placement groups, at {@code /placement-groups}; operators name the tenant with {@code ?tenant=}. */
@RestController
@RequestMapping("/api/v1/placement-groups")
class PlacementGroupController {

    private final PlacementGroupService groups;

    PlacementGroupController(PlacementGroupService groups) {
        this.groups = groups;
    }

    @PostMapping
    ResponseEntity<PlacementGroup> create(Caller caller, @RequestParam(required = false) String tenant,
                                          @Valid @RequestBody PlacementGroupRequests.Create request) {
        PlacementGroup group = groups.create(caller, tenant, request);
        return ResponseEntity.created(URI.create("/api/v1/placement-groups/" + group.id())).body(group);
    }

    @GetMapping
    Page<PlacementGroup> list(Caller caller, @RequestParam(required = false) String tenant,
                              @RequestParam(required = false) String limit, @RequestParam(required = false) String cursor) {
        return groups.list(caller, tenant, PageRequest.parse(limit, cursor, id -> Base32.isId(PlacementGroup.ID_PREFIX, id)));
    }

    @GetMapping("/{groupId}")
    PlacementGroup get(Caller caller, @PathVariable String groupId) {
        return groups.get(caller, groupId);
    }

    @DeleteMapping("/{groupId}")
    ResponseEntity<Void> delete(Caller caller, @PathVariable String groupId) {
        groups.delete(caller, groupId);
        return ResponseEntity.noContent().build();
    }
}
