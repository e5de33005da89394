package io.freehold.controlplane.catalog;

import java.util.Optional;

import io.freehold.controlplane.platform.ids.Base32;
import io.freehold.controlplane.platform.security.Caller;
import io.freehold.controlplane.platform.security.Capability;
import io.freehold.controlplane.platform.web.ApiProblem;
import io.freehold.controlplane.platform.web.Page;
import io.freehold.controlplane.platform.web.PageRequest;
import io.freehold.controlplane.tenancy.TenantService;
import org.springframework.stereotype.Service;

/**
 * Which flavors a tenant may choose for something new, for other features (instances) and for the
 * tenant's own flavor endpoints. A flavor is usable by a tenant when it is not disabled and is public or
 * granted to that tenant. {@link #usableBy} reads without locks; a caller that is about to refer to the
 * flavor uses {@link #holdUsableBy}, which keeps the flavor from being deleted until the caller commits.
 */
@Service
public class Flavors {

    private final FlavorStore flavors;
    private final TenantService tenants;

    Flavors(FlavorStore flavors, TenantService tenants) {
        this.flavors = flavors;
        this.tenants = tenants;
    }

    /**
     * The flavor, when {@code tenantId} may use it for something new.
     *
     * @return empty when there is no such flavor, it is disabled, or it is limited and not granted to the
     *         tenant; callers answer all three alike, so a tenant cannot learn of flavors it may not use
     */
    public Optional<Flavor> usableBy(String tenantId, String flavorId) {
        if (!Base32.isId(Flavor.ID_PREFIX, flavorId)) {
            return Optional.empty();
        }
        return flavors.findUsableBy(tenantId, flavorId);
    }

    /**
     * Like {@link #usableBy}, and takes the flavor's row {@code for share} until the transaction ends, so
     * that a concurrent delete waits and then sees the caller's reference ({@link FlavorReferences}).
     */
    public Optional<Flavor> holdUsableBy(String tenantId, String flavorId) {
        if (!Base32.isId(Flavor.ID_PREFIX, flavorId)) {
            return Optional.empty();
        }
        return flavors.holdUsableBy(tenantId, flavorId);
    }

    /** {@code GET /flavors/{id}}: 404 for a flavor the tenant may not use, exactly like a missing one. */
    AvailableFlavor available(Caller caller, String requestedTenant, String flavorId) {
        String tenantId = tenantOf(caller, requestedTenant);
        return usableBy(tenantId, flavorId).map(AvailableFlavor::of).orElseThrow(() -> ApiProblem.notFound("flavor", flavorId));
    }

    /** {@code GET /flavors}: the tenant's choice, by id. */
    Page<AvailableFlavor> available(Caller caller, String requestedTenant, PageRequest page) {
        String tenantId = tenantOf(caller, requestedTenant);
        return Page.of(flavors.listUsableBy(tenantId, page), page, Flavor::id).map(AvailableFlavor::of);
    }

    /** The tenant whose choice is asked for: the caller's own, or the one an operator names. */
    private String tenantOf(Caller caller, String requestedTenant) {
        caller.require(Capability.READ_TENANT);
        String tenantId = caller.scope(requestedTenant).orElseThrow(() -> ApiProblem.malformed("tenant",
                "is required for operators, since what a tenant may use depends on the tenant; all flavors are at /api/v1/ops/flavors"));
        if (caller.isOps()) {
            tenants.find(tenantId);
        }
        return tenantId;
    }
}
