package io.freehold.controlplane.inventory;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.freehold.controlplane.platform.web.WireNames;

/** Where a rack is in its own life, as DCIM tools track it; informational, placement does not read it. */
public enum RackStatus {
    @JsonProperty("planned")
    PLANNED,
    @JsonProperty("active")
    ACTIVE,
    @JsonProperty("decommissioning")
    DECOMMISSIONING,
    @JsonProperty("retired")
    RETIRED;

    String wireName() {
        return WireNames.of(this);
    }

    static RackStatus fromWireName(String name) {
        return WireNamed.parse(RackStatus.class, name);
    }
}
