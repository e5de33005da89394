package io.freehold.controlplane.billing;

import io.freehold.controlplane.platform.security.Caller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /api/v1/billing/cost}: the caller's tenant's month so far and the month-end forecast. */
@RestController
class CostController {

    private final Costs costs;

    CostController(Costs costs) {
        this.costs = costs;
    }

    @GetMapping("/api/v1/billing/cost")
    MonthToDateCost cost(Caller caller) {
        return costs.monthToDate(caller);
    }
}
