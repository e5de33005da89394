package io.freehold.controlplane.agentlink;

import java.time.Instant;

/**
 * A domain on a host that no live instance there accounts for. Freehold never removes one by itself: it may hold
 * someone's data, so an operator decides (docs/operator-guide.md).
 *
 * @param owner  {@code freehold} when Freehold defined it, {@code foreign} otherwise
 * @param reason why it is an orphan, for a person
 */
public record OrphanDomain(String hostId, String name, String owner, String power, String reason, Instant observedAt) {

    static String reason(String owner, String agentReason, boolean instanceKnown, Instant instanceDeletedAt, String instanceHostId) {
        if (HostDomain.FOREIGN.equals(owner)) {
            return "not defined by Freehold: " + agentReason;
        }
        if (!instanceKnown) {
            return "defined by Freehold, but the control plane has no instance of that id";
        }
        if (instanceDeletedAt != null) {
            return "defined by Freehold for an instance deleted at " + instanceDeletedAt;
        }
        return "defined by Freehold for an instance placed on " + (instanceHostId == null ? "no host" : "host " + instanceHostId);
    }
}
