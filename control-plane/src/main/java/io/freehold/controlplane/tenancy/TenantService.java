package io.freehold.controlplane.tenancy;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import io.freehold.controlplane.platform.FreeholdProperties;
import io.freehold.controlplane.platform.audit.AuditTrail;
import io.freehold.controlplane.platform.ids.Base32;
import io.freehold.controlplane.platform.ids.IdGenerator;
import io.freehold.controlplane.platform.security.Caller;
import io.freehold.controlplane.platform.security.Capability;
import io.freehold.controlplane.platform.web.ApiProblem;
import io.freehold.controlplane.platform.web.Page;
import io.freehold.controlplane.platform.web.PageRequest;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Operators create, rename, suspend and resume tenants and set their quotas. */
@Service
public class TenantService {

    private final TenantStore tenants;
    private final QuotaStore quotas;
    private final AuditTrail audit;
    private final IdGenerator ids;
    private final Clock clock;
    private final QuotaLimits defaultQuota;
    private final QuotaUsage usage;

    TenantService(TenantStore tenants, QuotaStore quotas, AuditTrail audit, IdGenerator ids, Clock clock,
                  FreeholdProperties properties, QuotaUsage usage) {
        this.tenants = tenants;
        this.quotas = quotas;
        this.usage = usage;
        this.audit = audit;
        this.ids = ids;
        this.clock = clock;
        var quota = properties.defaultQuota();
        this.defaultQuota = new QuotaLimits(quota.vcpus(), quota.memoryMib(), quota.diskGib(), quota.instances());
    }

    @Transactional
    Tenant create(Caller caller, TenantRequests.Create request) {
        caller.require(Capability.WRITE_OPS);
        Instant now = clock.instant();
        Tenant tenant = new Tenant(ids.next(Tenant.ID_PREFIX), request.name().strip(), request.slug(), TenantStatus.ACTIVE,
                null, now, now);
        if (!tenants.insert(tenant)) {
            throw ApiProblem.conflict("slug '" + request.slug() + "' is already taken by another tenant");
        }
        QuotaLimits limits = request.quota() == null ? defaultQuota : request.quota();
        quotas.upsert(tenant.id(), limits, now);
        audit.succeeded(caller, tenant.id(), "tenant.create", tenant.id(), Map.of("slug", tenant.slug()));
        return tenant;
    }

    Tenant get(Caller caller, String id) {
        caller.require(Capability.READ_OPS);
        return find(id);
    }

    Page<Tenant> list(Caller caller, TenantStatus status, PageRequest page) {
        caller.require(Capability.READ_OPS);
        return Page.of(tenants.list(status, page), page, Tenant::id);
    }

    @Transactional
    Tenant update(Caller caller, String id, TenantRequests.Update request) {
        caller.require(Capability.WRITE_OPS);
        Tenant current = tenants.findForUpdate(validId(id)).orElseThrow(() -> ApiProblem.notFound("tenant", id));
        TenantStatus status = request.status() == null ? current.status() : request.status();
        String reason = switch (status) {
            case ACTIVE -> {
                if (request.suspendedReason() != null) {
                    throw ApiProblem.invalid("suspendedReason", "only a suspended tenant has a reason");
                }
                yield null;
            }
            case SUSPENDED -> {
                String given = request.suspendedReason() == null ? current.suspendedReason() : request.suspendedReason().strip();
                if (given == null || given.isEmpty()) {
                    throw ApiProblem.invalid("suspendedReason", "is required to suspend a tenant; its users will see it");
                }
                yield given;
            }
        };
        Tenant updated = new Tenant(current.id(), request.name() == null ? current.name() : request.name().strip(),
                current.slug(), status, reason, current.createdAt(), clock.instant());
        tenants.update(updated);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("status", status.wireName());
        if (reason != null) {
            details.put("suspendedReason", reason);
        }
        audit.succeeded(caller, id, "tenant.update", id, details);
        return updated;
    }

    /**
     * A tenant's quota as operators read it under {@code /ops}. Tenant principals read their own at
     * {@code /quota}; on an ops endpoint they are refused even for their own tenant (ARCHITECTURE §6).
     */
    Quota opsQuota(Caller caller, String tenantId) {
        caller.require(Capability.READ_OPS);
        return quota(caller, validId(tenantId));
    }

    Quota quota(Caller caller, String tenantId) {
        if (!caller.sees(tenantId)) {
            throw ApiProblem.notFound("tenant", tenantId);
        }
        caller.require(caller.isOps() ? Capability.READ_OPS : Capability.READ_TENANT);
        find(tenantId);
        return quotas.find(tenantId).orElseThrow(() -> ApiProblem.notFound("quota of tenant", tenantId)).withUsed(usage.usedBy(tenantId));
    }

    @Transactional
    Quota setQuota(Caller caller, String tenantId, QuotaLimits limits) {
        caller.require(Capability.WRITE_OPS);
        find(tenantId);
        quotas.upsert(tenantId, limits, clock.instant());
        audit.succeeded(caller, tenantId, "quota.update", tenantId, Map.of(
                "vcpus", limits.vcpus(), "memoryMib", limits.memoryMib(), "diskGib", limits.diskGib(),
                "instances", limits.instances()));
        return quotas.find(tenantId).orElseThrow().withUsed(usage.usedBy(tenantId));
    }

    /** The tenant, for features that must check it exists or is active; 404 when it does not exist. */
    public Tenant find(String id) {
        return tenants.find(validId(id)).orElseThrow(() -> ApiProblem.notFound("tenant", id));
    }

    static String validId(String id) {
        if (!Base32.isId(Tenant.ID_PREFIX, id)) {
            throw ApiProblem.notFound("tenant", id);
        }
        return id;
    }
}
