package io.freehold.controlplane.tenancy;

import java.time.Instant;

/** A tenant's quota as the API shows it: the limits operators set and what the tenant holds against them. */
public record Quota(String tenantId, QuotaLimits limits, QuotaUsed used, Instant updatedAt) {

    Quota withUsed(QuotaUsed now) {
        return new Quota(tenantId, limits, now, updatedAt);
    }
}
