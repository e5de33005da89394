package io.freehold.controlplane.inventory;

import java.time.Instant;

/**
 * A new join token, the one time its secret is shown.
 *
 * @param hostId the pre-registered slot the joining server fills, or null for a new unracked host
 */
public record IssuedJoinToken(String id, String token, String hostId, Instant expiresAt) {

    @Override
    public String toString() {
        return "IssuedJoinToken[id=" + id + ", hostId=" + hostId + ", expiresAt=" + expiresAt + ", token=<hidden>]";
    }
}
