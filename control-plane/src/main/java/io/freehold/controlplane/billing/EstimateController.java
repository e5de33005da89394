package io.freehold.controlplane.billing;

import io.freehold.controlplane.platform.security.Caller;
import jakarta.validation.Valid;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** {@code POST /api/v1/billing/estimate}: what a prospective instance would cost, before it is created. */
@RestController
class EstimateController {

    private final Estimates estimates;

    EstimateController(Estimates estimates) {
        this.estimates = estimates;
    }

    @PostMapping("/api/v1/billing/estimate")
    InstanceCostEstimate estimate(Caller caller, @Valid @RequestBody EstimateRequest request) {
        return estimates.estimate(caller, request);
    }
}
