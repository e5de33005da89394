package io.freehold.controlplane.compute.decision;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Whether the tenant wants the guest powered on. */
public enum PowerState {
    @JsonProperty("running")
    RUNNING,
    @JsonProperty("stopped")
    STOPPED;

    /** The spelling in JSON and in the database. */
    public String wireName() {
        return name().toLowerCase();
    }

    public static PowerState fromWireName(String wireName) {
        return valueOf(wireName.toUpperCase());
    }
}
