package io.freehold.controlplane.tenancy;

import java.time.Instant;

import io.freehold.controlplane.platform.security.Role;

/** A person or robot account; ops users have no tenant. The password hash never leaves this package. */
record User(
        String id,
        String tenantId,
        String email,
        String name,
        Role role,
        String passwordHash,
        Instant createdAt,
        Instant updatedAt) {

    static final String ID_PREFIX = "u";

    UserView view() {
        return new UserView(id, tenantId, email, name, role, passwordHash != null, createdAt, updatedAt);
    }
}
