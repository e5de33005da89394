package io.freehold.controlplane.scheduling;

import java.time.Clock;
import java.util.Map;

import io.freehold.controlplane.platform.audit.AuditTrail;
import io.freehold.controlplane.platform.ids.Base32;
import io.freehold.controlplane.platform.ids.IdGenerator;
import io.freehold.controlplane.platform.security.Caller;
import io.freehold.controlplane.platform.security.Capability;
import io.freehold.controlplane.platform.web.ApiProblem;
import io.freehold.controlplane.platform.web.Page;
import io.freehold.controlplane.platform.web.PageRequest;
import io.freehold.controlplane.tenancy.TenantService;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** A tenant's placement groups: created with their rule, read, and deleted once nothing is placed in them or names them. */
@Service
class PlacementGroupService {

    private final PlacementGroupStore groups;
    private final GroupReferences references;
    private final TenantService tenants;
    private final AuditTrail audit;
    private final IdGenerator ids;
    private final Clock clock;

    PlacementGroupService(PlacementGroupStore groups, GroupReferences references, TenantService tenants, AuditTrail audit, IdGenerator ids,
                          Clock clock) {
        this.groups = groups;
        this.references = references;
        this.tenants = tenants;
        this.audit = audit;
        this.ids = ids;
        this.clock = clock;
    }

    @Transactional
    PlacementGroup create(Caller caller, String requestedTenant, PlacementGroupRequests.Create request) {
        String tenantId = caller.scope(requestedTenant)
                .orElseThrow(() -> ApiProblem.malformed("tenant", "is required when an operator creates a placement group"));
        caller.require(Capability.WRITE_TENANT);
        tenants.find(tenantId);
        String scoring = request.scoring() == null ? "bin-pack" : request.scoring();
        PlacementGroup group = new PlacementGroup(ids.next(PlacementGroup.ID_PREFIX), tenantId, request.name(), request.policy(), scoring,
                0, clock.instant());
        if (!groups.insert(group)) {
            throw ApiProblem.conflict("a placement group named '" + request.name() + "' already exists");
        }
        audit.succeeded(caller, tenantId, "placement-group.create", group.id(),
                Map.of("name", group.name(), "policy", group.policy(), "scoring", scoring));
        return group;
    }

    Page<PlacementGroup> list(Caller caller, String requestedTenant, PageRequest page) {
        caller.require(Capability.READ_TENANT);
        return Page.of(groups.list(caller.scope(requestedTenant).orElse(null), page), page, PlacementGroup::id);
    }

    PlacementGroup get(Caller caller, String id) {
        caller.require(Capability.READ_TENANT);
        return visible(caller, id);
    }

    @Transactional
    void delete(Caller caller, String id) {
        PlacementGroup group = visible(caller, id);
        caller.require(Capability.WRITE_TENANT);
        PlacementGroup locked = groups.lock(group.id()).orElseThrow(() -> ApiProblem.notFound("placement group", id));
        if (locked.members() > 0) {
            throw ApiProblem.conflict("placement group '" + locked.name() + "' still holds " + locked.members() + " member"
                    + (locked.members() == 1 ? "" : "s") + "; delete them first");
        }
        long named = references.liveUsersOfGroup(locked.id());
        if (named > 0) {
            throw ApiProblem.conflict("placement group '" + locked.name() + "' is named by " + named + " instance"
                    + (named == 1 ? "" : "s") + " not placed yet or being deleted; delete them first");
        }
        groups.delete(locked.id());
        audit.succeeded(caller, locked.tenantId(), "placement-group.delete", locked.id(), Map.of("name", locked.name()));
    }

    /** The group, when the caller may see it; a foreign tenant's group looks absent. */
    PlacementGroup visible(Caller caller, String id) {
        if (!Base32.isId(PlacementGroup.ID_PREFIX, id)) {
            throw ApiProblem.notFound("placement group", id);
        }
        return groups.find(id).filter(group -> caller.sees(group.tenantId()))
                .orElseThrow(() -> ApiProblem.notFound("placement group", id));
    }
}
