package io.freehold.controlplane.inventory;

import java.time.Instant;

/**
 * A new join token, the one time its secret is shown: in {@code token} and in the ready-to-paste
 * {@code joinCommand}. Neither appears in {@link #toString()}.
 *
 * @param hostId the pre-registered slot the joining server fills, or null for a new unracked host
 * @param caFingerprint what the agent pins the control plane's CA to
 */
public record CreatedJoinToken(String id, String prefix, String token, String hostId, String createdBy, Instant createdAt,
                               Instant expiresAt, String caFingerprint, String joinCommand) {

    @Override
    public String toString() {
        return "CreatedJoinToken[id=" + id + ", prefix=" + prefix + ", hostId=" + hostId + ", expiresAt=" + expiresAt
                + ", caFingerprint=" + caFingerprint + ", token=<hidden>, joinCommand=<hidden>]";
    }
}
