package io.freehold.controlplane.tenancy;

/**
 * What a tenant holds against its quota. Placement provides it from its ledger: tenancy cannot depend
 * on scheduling, which depends on tenancy.
 */
public interface QuotaUsage {

    QuotaUsed usedBy(String tenantId);
}
