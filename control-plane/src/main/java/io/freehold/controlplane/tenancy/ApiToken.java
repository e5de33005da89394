package io.freehold.controlplane.tenancy;

import java.time.Instant;

/** An API token's metadata as stored and shown; the secret is never part of it. */
public record ApiToken(
        String id,
        String userId,
        String tenantId,
        String name,
        String prefix,
        String createdBy,
        Instant createdAt,
        Instant expiresAt,
        Instant revokedAt,
        Instant lastUsedAt) {

    static final String ID_PREFIX = "tok";

    boolean activeAt(Instant now) {
        return revokedAt == null && (expiresAt == null || now.isBefore(expiresAt));
    }
}
