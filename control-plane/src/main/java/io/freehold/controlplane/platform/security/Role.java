package io.freehold.controlplane.platform.security;

import java.util.EnumSet;
import java.util.Set;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The five roles of ARCHITECTURE §6 and what each may do. Ops roles belong to no tenant. */
public enum Role {
    @JsonProperty("ops-admin")
    OPS_ADMIN(true, EnumSet.allOf(Capability.class)),
    @JsonProperty("ops-viewer")
    OPS_VIEWER(true, EnumSet.of(Capability.READ_TENANT, Capability.READ_OPS)),
    @JsonProperty("tenant-admin")
    TENANT_ADMIN(false, EnumSet.of(Capability.READ_TENANT, Capability.WRITE_TENANT, Capability.MANAGE_USERS, Capability.MANAGE_BILLING)),
    @JsonProperty("tenant-member")
    TENANT_MEMBER(false, EnumSet.of(Capability.READ_TENANT, Capability.WRITE_TENANT)),
    @JsonProperty("tenant-viewer")
    TENANT_VIEWER(false, EnumSet.of(Capability.READ_TENANT));

    private final boolean ops;
    private final Set<Capability> capabilities;

    Role(boolean ops, Set<Capability> capabilities) {
        this.ops = ops;
        this.capabilities = capabilities;
    }

    public boolean isOps() {
        return ops;
    }

    public boolean can(Capability capability) {
        return capabilities.contains(capability);
    }

    /** The name used in JSON, the database and the authorization matrix. */
    public String wireName() {
        return name().toLowerCase().replace('_', '-');
    }

    public static Role fromWireName(String wireName) {
        for (Role role : values()) {
            if (role.wireName().equals(wireName)) {
                return role;
            }
        }
        throw new IllegalArgumentException("unknown role " + wireName);
    }
}
