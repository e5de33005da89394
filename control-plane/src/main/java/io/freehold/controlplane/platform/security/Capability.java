package io.freehold.controlplane.platform.security;

/** What a role may do; endpoints ask for one capability, never for a role by name. */
public enum Capability {
    /** Read the resources, users, quotas, usage and audit events of a tenant. */
    READ_TENANT,
    /** Create, change and delete a tenant's resources. */
    WRITE_TENANT,
    /** Manage a tenant's users and their tokens. */
    MANAGE_USERS,
    /** Set the tenant's budget. */
    MANAGE_BILLING,
    /** Read operator resources: tenants, inventory, capacity. */
    READ_OPS,
    /** Change operator resources. */
    WRITE_OPS
}
