package io.freehold.controlplane.tenancy;

import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;

import io.freehold.controlplane.platform.audit.AuditTrail;
import io.freehold.controlplane.platform.ids.IdGenerator;
import io.freehold.controlplane.platform.security.Caller;
import io.freehold.controlplane.platform.security.Capability;
import io.freehold.controlplane.platform.web.ApiProblem;
import io.freehold.controlplane.platform.web.Page;
import io.freehold.controlplane.platform.web.PageRequest;
import io.freehold.controlplane.platform.web.RequestIds;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/** Writes the audit log for every feature and reads it for tenants (their own) and operators (all). */
@Service
class AuditLog implements AuditTrail {

    private final AuditStore store;
    private final IdGenerator ids;
    private final Clock clock;

    AuditLog(AuditStore store, IdGenerator ids, Clock clock) {
        this.store = store;
        this.ids = ids;
        this.clock = clock;
    }

    @Override
    @Transactional(propagation = Propagation.MANDATORY)
    public void succeeded(Caller caller, String tenantId, String action, String target, Map<String, Object> details) {
        append(caller, tenantId, action, target, "succeeded", details);
    }

    @Override
    @Transactional(propagation = Propagation.REQUIRES_NEW)
    public void denied(Caller caller, String action, String target, String reason) {
        append(caller, caller.tenantId(), action, target, "denied", Map.of("reason", reason));
    }

    Page<AuditEvent> find(Caller caller, String requestedTenant, String actor, String action, String target,
                          String since, String until, PageRequest page) {
        caller.require(Capability.READ_TENANT);
        String tenantId = caller.scope(requestedTenant).orElse(null);
        AuditQuery query = new AuditQuery(tenantId, actor, action, target, time("since", since), time("until", until));
        return Page.of(store.find(query, page), page, AuditEvent::id);
    }

    private void append(Caller caller, String tenantId, String action, String target, String outcome, Map<String, Object> details) {
        store.append(new AuditEvent(ids.next(AuditEvent.ID_PREFIX), clock.instant(), tenantId, caller.userId(),
                caller.role().wireName(), action, target, RequestIds.current(), outcome, details));
    }

    private static Instant time(String parameter, String value) {
        if (value == null) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw ApiProblem.malformed(parameter, "must be an RFC 3339 UTC time such as 2026-01-31T12:00:00Z");
        }
    }
}
