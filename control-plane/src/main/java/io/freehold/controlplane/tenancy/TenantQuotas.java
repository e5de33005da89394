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

    /** The tenant's quota limits as they are now, without a lock. @throws ApiProblem 404 for an unknown tenant */
    public QuotaLimits limits(String tenantId) {
        return quotas.find(tenantId).map(Quota::limits).orElseThrow(() -> ApiProblem.notFound("tenant", tenantId));
    }

    /** Locks the tenant's quota until the transaction ends. @throws ApiProblem 404 for an unknown tenant */
    public QuotaLimits lockLimits(String tenantId) {
        return quotas.lockLimits(tenantId).orElseThrow(() -> ApiProblem.notFound("tenant", tenantId));
    }
}
