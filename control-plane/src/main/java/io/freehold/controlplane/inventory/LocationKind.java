package io.freehold.controlplane.inventory;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.freehold.controlplane.platform.web.WireNames;

/** What a location inside a site is, in the words of the data center. */
public enum LocationKind {
    @JsonProperty("room")
    ROOM,
    @JsonProperty("cage")
    CAGE,
    @JsonProperty("hall")
    HALL,
    @JsonProperty("floor")
    FLOOR,
    @JsonProperty("other")
    OTHER;

    String wireName() {
        return WireNames.of(this);
    }

    static LocationKind fromWireName(String name) {
        return WireNamed.parse(LocationKind.class, name);
    }
}
