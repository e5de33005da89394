package io.freehold.controlplane.tenancy;

import java.time.Instant;

/**
 * Filters of the audit log; null fields match everything.
 *
 * @param tenantId events of this tenant only
 * @param since occurred at or after
 * @param until occurred before
 */
record AuditQuery(String tenantId, String actorId, String action, String target, Instant since, Instant until) {
}
