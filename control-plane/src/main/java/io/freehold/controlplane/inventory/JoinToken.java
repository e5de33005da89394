package io.freehold.controlplane.inventory;

import java.time.Instant;

/**
 * A join token as ops list it: never its secret, only the public prefix that agents' join events and
 * logs name.
 *
 * @param hostId the pre-registered slot it is bound to, or null
 * @param usedByHostId the host that joined with it, once used
 */
public record JoinToken(String id, String prefix, String hostId, String createdBy, Instant createdAt, Instant expiresAt,
                        JoinTokenStatus status, Instant usedAt, String usedByHostId) {
}
