package io.freehold.controlplane.tenancy;

import java.time.Instant;

import io.freehold.controlplane.platform.security.Role;

/** A user as the API shows it. */
public record UserView(
        String id,
        String tenantId,
        String email,
        String name,
        Role role,
        boolean hasPassword,
        Instant createdAt,
        Instant updatedAt) {
}
