package io.freehold.controlplane.catalog;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.freehold.controlplane.platform.audit.AuditTrail;
import io.freehold.controlplane.platform.ids.Base32;
import io.freehold.controlplane.platform.ids.IdGenerator;
import io.freehold.controlplane.platform.security.Caller;
import io.freehold.controlplane.platform.security.Capability;
import io.freehold.controlplane.platform.web.ApiProblem;
import io.freehold.controlplane.platform.web.FieldError;
import io.freehold.controlplane.platform.web.Page;
import io.freehold.controlplane.platform.web.PageRequest;
import io.freehold.controlplane.platform.web.ProblemType;
import io.freehold.controlplane.tenancy.TenantService;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Operators define flavors, rename, disable, narrow or widen them, keep the access lists of limited ones,
 * and delete them. Sizes are fixed at creation.
 */
@Service
class FlavorService {

    private static final String SIZE_IS_FIXED = "cannot change: instances refer to a flavor's sizes; create a new flavor "
            + "with the sizes you want and disable this one";

    private final FlavorStore flavors;
    private final FlavorReferences references;
    private final TenantService tenants;
    private final AuditTrail audit;
    private final IdGenerator ids;
    private final Clock clock;

    FlavorService(FlavorStore flavors, FlavorReferences references, TenantService tenants, AuditTrail audit, IdGenerator ids, Clock clock) {
        this.flavors = flavors;
        this.references = references;
        this.tenants = tenants;
        this.audit = audit;
        this.ids = ids;
        this.clock = clock;
    }

    @Transactional
    Flavor create(Caller caller, FlavorRequests.Create request) {
        caller.require(Capability.WRITE_OPS);
        Instant now = clock.instant();
        Flavor flavor = new Flavor(ids.next(Flavor.ID_PREFIX), request.name(), request.vcpus(), request.memoryMib(), request.rootDiskGib(),
                request.visibility() == null ? FlavorVisibility.PUBLIC : request.visibility(), Boolean.TRUE.equals(request.disabled()),
                now, now);
        if (!flavors.insert(flavor)) {
            throw ApiProblem.conflict("flavor name '" + flavor.name() + "' is already taken");
        }
        audit.succeeded(caller, null, "flavor.create", flavor.id(), Map.of("name", flavor.name(), "vcpus", flavor.vcpus(),
                "memoryMib", flavor.memoryMib(), "rootDiskGib", flavor.rootDiskGib(), "visibility", flavor.visibility().wireName(),
                "disabled", flavor.disabled()));
        return flavor;
    }

    Page<Flavor> list(Caller caller, PageRequest page) {
        caller.require(Capability.READ_OPS);
        return Page.of(flavors.list(page), page, Flavor::id);
    }

    Flavor get(Caller caller, String id) {
        caller.require(Capability.READ_OPS);
        return flavors.find(inPath(id)).orElseThrow(() -> ApiProblem.notFound("flavor", id));
    }

    @Transactional
    Flavor update(Caller caller, String id, FlavorRequests.Update request) {
        caller.require(Capability.WRITE_OPS);
        Flavor current = locked(id);
        List<FieldError> fixed = new ArrayList<>();
        if (request.vcpus() != null && request.vcpus() != current.vcpus()) {
            fixed.add(new FieldError("vcpus", SIZE_IS_FIXED));
        }
        if (request.memoryMib() != null && request.memoryMib() != current.memoryMib()) {
            fixed.add(new FieldError("memoryMib", SIZE_IS_FIXED));
        }
        if (request.rootDiskGib() != null && request.rootDiskGib() != current.rootDiskGib()) {
            fixed.add(new FieldError("rootDiskGib", SIZE_IS_FIXED));
        }
        if (!fixed.isEmpty()) {
            throw new ApiProblem(ProblemType.VALIDATION_FAILED, fixed.stream().map(error -> error.field() + ": " + error.message())
                    .reduce((a, b) -> a + "; " + b).orElseThrow(), fixed);
        }
        Flavor updated = new Flavor(current.id(), Objects.requireNonNullElse(request.name(), current.name()), current.vcpus(),
                current.memoryMib(), current.rootDiskGib(), Objects.requireNonNullElse(request.visibility(), current.visibility()),
                Objects.requireNonNullElse(request.disabled(), current.disabled()), current.createdAt(), clock.instant());
        if (!flavors.update(updated)) {
            throw ApiProblem.conflict("flavor name '" + updated.name() + "' is already taken");
        }
        audit.succeeded(caller, null, "flavor.update", id, Map.of("name", updated.name(), "visibility", updated.visibility().wireName(),
                "disabled", updated.disabled()));
        return updated;
    }

    /**
     * Deletes the flavor and its access list, unless a live instance still uses it: that is checked here,
     * under the flavor's row lock, which an instance being created holds {@code for share} (docs/api.md).
     */
    @Transactional
    void delete(Caller caller, String id) {
        caller.require(Capability.WRITE_OPS);
        Flavor flavor = locked(id);
        long users = references.liveUsersOfFlavor(flavor.id());
        if (users > 0) {
            throw ApiProblem.conflict("flavor '" + flavor.name() + "' is used by " + users + " instance" + (users == 1 ? "" : "s")
                    + "; disable it to offer it no more, and delete it once they are gone");
        }
        flavors.delete(flavor.id());
        audit.succeeded(caller, null, "flavor.delete", flavor.id(), Map.of("name", flavor.name()));
    }

    /** Puts the tenant on the flavor's access list; repeating it changes nothing and answers the first grant. */
    @Transactional
    FlavorGrant grant(Caller caller, String flavorId, String tenantId) {
        caller.require(Capability.WRITE_OPS);
        Flavor flavor = locked(flavorId);
        tenants.find(tenantId);
        FlavorGrant grant = flavors.grant(flavor.id(), tenantId, clock.instant());
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("flavor", flavor.name());
        details.put("visibility", flavor.visibility().wireName());
        audit.succeeded(caller, tenantId, "flavor.grant", flavor.id(), details);
        return grant;
    }

    /** Takes the tenant off the flavor's access list; a tenant that was not on it is no error. */
    @Transactional
    void revoke(Caller caller, String flavorId, String tenantId) {
        caller.require(Capability.WRITE_OPS);
        Flavor flavor = locked(flavorId);
        tenants.find(tenantId);
        boolean removed = flavors.revoke(flavor.id(), tenantId);
        audit.succeeded(caller, tenantId, "flavor.revoke", flavor.id(), Map.of("flavor", flavor.name(), "removed", removed));
    }

    Page<FlavorGrant> grants(Caller caller, String flavorId, PageRequest page) {
        Flavor flavor = get(caller, flavorId);
        return Page.of(flavors.grants(flavor.id(), page), page, FlavorGrant::tenantId);
    }

    private Flavor locked(String id) {
        return flavors.lock(inPath(id)).orElseThrow(() -> ApiProblem.notFound("flavor", id));
    }

    /** A path id that cannot be a flavor's finds nothing. */
    static String inPath(String id) {
        if (!Base32.isId(Flavor.ID_PREFIX, id)) {
            throw ApiProblem.notFound("flavor", id);
        }
        return id;
    }
}
