package io.freehold.controlplane.scheduling;

import io.freehold.controlplane.platform.security.Caller;
import jakarta.validation.Valid;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Dry-run plans at {@code /placement/plans}; operators name the tenant whose quota counts with {@code ?tenant=}. */
@RestController
@RequestMapping("/api/v1/placement")
class PlacementController {

    private final PlanService plans;

    PlacementController(PlanService plans) {
        this.plans = plans;
    }

    @PostMapping("/plans")
    PlanAnswer plan(Caller caller, @RequestParam(required = false) String tenant, @Valid @RequestBody PlanRequest request) {
        return plans.plan(caller, tenant, request);
    }
}
