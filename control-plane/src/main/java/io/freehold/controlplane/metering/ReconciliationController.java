package io.freehold.controlplane.metering;

import io.freehold.controlplane.platform.ids.Base32;
import io.freehold.controlplane.platform.security.Capability;
import io.freehold.controlplane.platform.security.Caller;
import io.freehold.controlplane.platform.web.ApiProblem;
import io.freehold.controlplane.platform.web.Page;
import io.freehold.controlplane.platform.web.PageRequest;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The reconciliation report, for operators: billed running seconds against what the hosts themselves counted. */
@RestController
class ReconciliationController {

    private static final String TENANT_PREFIX = "t";
    private static final String INSTANCE_PREFIX = "i";

    private final UsageReconciliation reconciliation;

    ReconciliationController(UsageReconciliation reconciliation) {
        this.reconciliation = reconciliation;
    }

    @GetMapping("/api/v1/ops/usage/reconciliation")
    Page<InstanceReconciliation> report(Caller caller, @RequestParam(required = false) String tenantId,
                                        @RequestParam(required = false) String instanceId,
                                        @RequestParam(required = false) String onlyDifferences,
                                        @RequestParam(required = false) String limit, @RequestParam(required = false) String cursor) {
        caller.require(Capability.READ_OPS);
        if (tenantId != null && !Base32.isId(TENANT_PREFIX, tenantId)) {
            throw ApiProblem.malformed("tenantId", "is not a tenant id");
        }
        if (instanceId != null && !Base32.isId(INSTANCE_PREFIX, instanceId)) {
            throw ApiProblem.malformed("instanceId", "is not an instance id");
        }
        if (onlyDifferences != null && !onlyDifferences.equals("true") && !onlyDifferences.equals("false")) {
            throw ApiProblem.malformed("onlyDifferences", "must be true or false");
        }
        return reconciliation.report(tenantId, instanceId, "true".equals(onlyDifferences),
                PageRequest.parse(limit, cursor, id -> Base32.isId(INSTANCE_PREFIX, id)));
    }
}
