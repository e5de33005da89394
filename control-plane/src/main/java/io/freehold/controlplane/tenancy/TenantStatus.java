package io.freehold.controlplane.tenancy;

import com.fasterxml.jackson.annotation.JsonProperty;

public enum TenantStatus {
    @JsonProperty("active")
    ACTIVE,
    @JsonProperty("suspended")
    SUSPENDED;

    String wireName() {
        return name().toLowerCase();
    }

    static TenantStatus fromWireName(String name) {
        return valueOf(name.toUpperCase());
    }
}
