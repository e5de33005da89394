package io.freehold.controlplane.tenancy;

import java.util.Collection;
import java.util.Map;

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

    /** Locks the tenants' quotas until the transaction ends. @throws ApiProblem 404 naming an unknown tenant */
    public Map<String, QuotaLimits> lockLimits(Collection<String> tenantIds) {
        Map<String, QuotaLimits> limits = quotas.lockLimits(tenantIds);
        tenantIds.stream().filter(id -> !limits.containsKey(id)).findFirst().ifPresent(id -> {
            throw ApiProblem.notFound("tenant", id);
        });
        return limits;
    }
}
