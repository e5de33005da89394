package io.freehold.controlplane.tenancy;

import java.time.Instant;

/** A tenant's quota as the API shows it; usage against it arrives with placement. */
public record Quota(String tenantId, QuotaLimits limits, Instant updatedAt) {
}
