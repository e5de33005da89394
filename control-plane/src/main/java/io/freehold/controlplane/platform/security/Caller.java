package io.freehold.controlplane.platform.security;

import java.util.Optional;

import io.freehold.controlplane.platform.web.ApiProblem;

/**
 * Who is calling: the user behind the bearer token, its role and, for tenant roles, its tenant.
 * Controllers receive it as a parameter; services take it explicitly, never from a thread-local.
 *
 * @param userId the authenticated user
 * @param role what the user may do
 * @param tenantId the user's tenant; null for ops roles
 * @param tokenId the API token used
 */
public record Caller(String userId, Role role, String tenantId, String tokenId) {

    public boolean isOps() {
        return role.isOps();
    }

    /** @throws ApiProblem 403 when the role lacks the capability */
    public void require(Capability capability) {
        if (!role.can(capability)) {
            throw ApiProblem.forbidden("role " + role.wireName() + " may not do this (needs " + capability.name().toLowerCase() + ")");
        }
    }

    /**
     * The caller's own tenant, for endpoints that act only in it (usage, invoices, cost, budget, estimates).
     *
     * @param elsewhere what an operator, who belongs to no tenant, does instead; said in the 403
     * @throws ApiProblem 403 when the role lacks the capability or the caller is an operator
     */
    public String ownTenant(Capability capability, String elsewhere) {
        require(capability);
        if (isOps()) {
            throw ApiProblem.forbidden("operators belong to no tenant; " + elsewhere);
        }
        return tenantId;
    }

    /**
     * The tenant a tenant-scoped request acts in. A tenant caller always acts in its own tenant, and
     * naming another one finds nothing (404, as for any foreign object). An operator acts in the
     * tenant named by {@code ?tenant=}, or across all tenants when it names none.
     *
     * @return the tenant, or empty for an operator looking across all tenants
     */
    public Optional<String> scope(String requestedTenant) {
        if (isOps()) {
            return Optional.ofNullable(requestedTenant);
        }
        if (requestedTenant != null && !requestedTenant.equals(tenantId)) {
            throw ApiProblem.notFound("tenant", requestedTenant);
        }
        return Optional.of(tenantId);
    }

    /** True when this caller may see objects of {@code objectTenantId}; foreign objects must look absent. */
    public boolean sees(String objectTenantId) {
        return isOps() || tenantId.equals(objectTenantId);
    }
}
