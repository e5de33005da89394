package io.freehold.controlplane.tenancy;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonInclude;

/** A tenant company, as stored and as the API shows it. */
public record Tenant(
        String id,
        String name,
        String slug,
        TenantStatus status,
        @JsonInclude(JsonInclude.Include.NON_NULL) String suspendedReason,
        Instant createdAt,
        Instant updatedAt) {

    static final String ID_PREFIX = "t";
}
