package io.freehold.controlplane.catalog;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Who may use a flavor: every tenant, or only the tenants it was granted to. */
public enum FlavorVisibility {
    @JsonProperty("public")
    PUBLIC,
    @JsonProperty("limited")
    LIMITED;

    /** The spelling in JSON and in the database. */
    String wireName() {
        return name().toLowerCase();
    }

    static FlavorVisibility fromWireName(String wireName) {
        return valueOf(wireName.toUpperCase());
    }
}
