package io.freehold.controlplane.tenancy;

import java.net.URI;

import io.freehold.controlplane.platform.ids.Base32;
import io.freehold.controlplane.platform.security.Caller;
import io.freehold.controlplane.platform.security.Capability;
import io.freehold.controlplane.platform.web.ApiProblem;
import io.freehold.controlplane.platform.web.Page;
import io.freehold.controlplane.platform.web.PageRequest;
import io.freehold.controlplane.platform.web.QueryParams;
import jakarta.validation.Valid;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1")
class TenantController {

    private final TenantService tenants;

    TenantController(TenantService tenants) {
        this.tenants = tenants;
    }

    @PostMapping("/ops/tenants")
    ResponseEntity<Tenant> create(Caller caller, @Valid @RequestBody TenantRequests.Create request) {
        Tenant tenant = tenants.create(caller, request);
        return ResponseEntity.created(URI.create("/api/v1/ops/tenants/" + tenant.id())).body(tenant);
    }

    @GetMapping("/ops/tenants")
    Page<Tenant> list(Caller caller, @RequestParam(required = false) String status,
                      @RequestParam(required = false) String limit, @RequestParam(required = false) String cursor) {
        return tenants.list(caller, QueryParams.enumValue("status", status, TenantStatus.class),
                PageRequest.parse(limit, cursor, id -> Base32.isId(Tenant.ID_PREFIX, id)));
    }

    @GetMapping("/ops/tenants/{tenantId}")
    Tenant get(Caller caller, @PathVariable String tenantId) {
        return tenants.get(caller, tenantId);
    }

    @PatchMapping("/ops/tenants/{tenantId}")
    Tenant update(Caller caller, @PathVariable String tenantId, @Valid @RequestBody TenantRequests.Update request) {
        return tenants.update(caller, tenantId, request);
    }

    @GetMapping("/ops/tenants/{tenantId}/quota")
    Quota quotaOf(Caller caller, @PathVariable String tenantId) {
        caller.require(Capability.READ_OPS);
        return tenants.quota(caller, TenantService.validId(tenantId));
    }

    @PutMapping("/ops/tenants/{tenantId}/quota")
    Quota setQuota(Caller caller, @PathVariable String tenantId, @Valid @RequestBody QuotaLimits limits) {
        return tenants.setQuota(caller, tenantId, limits);
    }

    /** A tenant's own quota; an operator names the tenant. */
    @GetMapping("/quota")
    Quota quota(Caller caller, @RequestParam(required = false) String tenant) {
        String tenantId = caller.scope(tenant).orElseThrow(
                () -> ApiProblem.malformed("tenant", "is required for operators"));
        return tenants.quota(caller, tenantId);
    }
}
