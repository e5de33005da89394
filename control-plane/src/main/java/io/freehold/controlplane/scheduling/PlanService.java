package io.freehold.controlplane.scheduling;

import io.freehold.controlplane.inventory.Labels;
import io.freehold.controlplane.inventory.decision.Capacity.Resources;
import io.freehold.controlplane.platform.ids.Base32;
import io.freehold.controlplane.platform.security.Caller;
import io.freehold.controlplane.platform.security.Capability;
import io.freehold.controlplane.platform.web.ApiProblem;
import io.freehold.controlplane.tenancy.TenantService;
import org.springframework.stereotype.Service;

/** Dry runs: whether and where a guest would be placed now, and whether the tenant's quota allows it. */
@Service
class PlanService {

    private final Placements placements;
    private final TenantService tenants;

    PlanService(Placements placements, TenantService tenants) {
        this.placements = placements;
        this.tenants = tenants;
    }

    PlanAnswer plan(Caller caller, String requestedTenant, PlanRequest request) {
        String tenantId = caller.scope(requestedTenant)
                .orElseThrow(() -> ApiProblem.malformed("tenant", "is required when an operator asks for a plan"));
        caller.require(Capability.READ_TENANT);
        tenants.find(tenantId);
        if (request.siteId() != null && !Base32.isId("s", request.siteId())) {
            throw ApiProblem.invalid("siteId", "no site " + request.siteId());
        }
        if (request.placementGroupId() != null && !Base32.isId(PlacementGroup.ID_PREFIX, request.placementGroupId())) {
            throw ApiProblem.invalid("placementGroupId", "no placement group " + request.placementGroupId());
        }
        PlacementSpec spec = new PlacementSpec(new Resources(request.vcpus(), request.memoryMib(), request.diskGib()), request.siteId(),
                Labels.checked(request.labels()), request.placementGroupId());
        return PlanAnswers.of(placements.dryRun(tenantId, spec));
    }
}
