package io.freehold.controlplane.tenancy;

import java.time.Instant;
import java.util.Map;

/** One line of the audit log as stored and shown. */
public record AuditEvent(
        String id,
        Instant occurredAt,
        String tenantId,
        String actorId,
        String actorRole,
        String action,
        String target,
        String requestId,
        String outcome,
        Map<String, Object> details) {

    static final String ID_PREFIX = "ae";
}
