package io.freehold.controlplane.inventory;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.freehold.controlplane.platform.web.WireNames;

/**
 * How a rack's units are labelled. Units are always stored counted from the bottom (unit 1 is the
 * lowest); a top-down rack only labels them the other way round, so its top unit reads "1".
 */
public enum RackNumbering {
    @JsonProperty("bottom-up")
    BOTTOM_UP,
    @JsonProperty("top-down")
    TOP_DOWN;

    String wireName() {
        return WireNames.of(this);
    }

    static RackNumbering fromWireName(String name) {
        return WireNamed.parse(RackNumbering.class, name);
    }
}
