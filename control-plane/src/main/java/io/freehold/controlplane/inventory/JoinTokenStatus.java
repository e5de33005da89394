package io.freehold.controlplane.inventory;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Whether a join token can still be redeemed. */
public enum JoinTokenStatus {
    /** Unused and not expired: an agent may join with it. */
    @JsonProperty("pending")
    PENDING,
    /** An agent joined with it; the host it made or filled is named. */
    @JsonProperty("used")
    USED,
    /** Unused, and too late to use. */
    @JsonProperty("expired")
    EXPIRED
}
