package io.freehold.controlplane.metering;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.freehold.controlplane.platform.audit.AuditTrail;
import io.freehold.controlplane.platform.ids.Base32;
import io.freehold.controlplane.platform.queue.WorkQueue;
import io.freehold.controlplane.platform.security.Caller;
import io.freehold.controlplane.platform.security.Capability;
import io.freehold.controlplane.platform.web.ApiProblem;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Rollup recomputes an operator asks for ({@code POST /api/v1/ops/usage/recompute}): queues instances' {@value
 * UsageRecomputePass#QUEUE_KIND} keys, due now, for the worker of whichever replica claims them first, and returns. A
 * key already queued becomes due now, backoff or not. Recomputing is level-based, so asking again, or while a pass is
 * at it, is harmless: at worst an instance is recomputed once more and nothing changes.
 *
 * <p>Which instances: a named instance, or every instance of a named tenant, settled or not — naming them is asking
 * for them (after a fix to the log or to the integration, say) — or, naming neither, every instance whose hours are
 * not all settled, which is what the sweep queues, now rather than at its next firing.
 */
@Service
class OnDemandRecompute {

    private static final String INSTANCE_ID_PREFIX = "i";
    private static final String TENANT_ID_PREFIX = "t";

    private final MeteredInstanceStore instances;
    private final UsageResourceStore resources;
    private final WorkQueue queue;
    private final AuditTrail audit;
    private final Clock clock;
    private final Duration settled;

    OnDemandRecompute(MeteredInstanceStore instances, UsageResourceStore resources, WorkQueue queue, AuditTrail audit, Clock clock,
                      MeteringProperties properties) {
        this.instances = instances;
        this.resources = resources;
        this.queue = queue;
        this.audit = audit;
        this.clock = clock;
        this.settled = properties.sweep().settled();
    }

    /** @return how many instances' keys are queued, due now; audited as {@code usage.recompute} */
    @Transactional
    int queue(Caller caller, String tenantId, String instanceId) {
        caller.require(Capability.WRITE_OPS);
        if (tenantId != null && !Base32.isId(TENANT_ID_PREFIX, tenantId)) {
            throw ApiProblem.invalid("tenantId", "must be a tenant id (t-…)");
        }
        if (instanceId != null && !Base32.isId(INSTANCE_ID_PREFIX, instanceId)) {
            throw ApiProblem.invalid("instanceId", "must be an instance id (i-…)");
        }
        Instant now = clock.instant();
        List<String> chosen;
        String scope;
        if (instanceId != null) {
            chosen = instances.tenantOf(instanceId).filter(tenant -> tenantId == null || tenant.equals(tenantId))
                    .map(tenant -> List.of(instanceId)).orElse(List.of());
            scope = "instance";
        } else if (tenantId != null) {
            chosen = instances.ofTenant(tenantId);
            scope = "tenant";
        } else {
            chosen = resources.unsettled(now.minus(settled));
            scope = "unsettled";
        }
        int queued = queue.enqueue(UsageRecomputePass.QUEUE_KIND, chosen, now);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("scope", scope);
        details.put("queued", queued);
        audit.succeeded(caller, tenantId, "usage.recompute", instanceId != null ? instanceId : tenantId, details);
        return queued;
    }
}
