package io.freehold.controlplane.tenancy;

import io.freehold.controlplane.platform.web.ApiProblem;
import org.springframework.stereotype.Component;

/** The quota limits placement enforces, read under a lock that serialises one tenant's placements. */
@Component
public class TenantQuotas {

    private final QuotaStore quotas;

    TenantQuotas(QuotaStore quotas) {
        this.quotas = quotas;
    }

    /** Locks the tenant's quota until the transaction ends. @throws ApiProblem 404 for an unknown tenant */
    public QuotaLimits lockLimits(String tenantId) {
        return quotas.lockLimits(tenantId).orElseThrow(() -> ApiProblem.notFound("tenant", tenantId));
    }
}
