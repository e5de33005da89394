package io.freehold.controlplane.agentlink;

import java.time.Duration;
import java.time.Instant;

/**
 * One host's Connect stream as recorded for every replica to see.
 *
 * @param connectionId the stream, so that a replica can tell its current stream for a host from an older one
 * @param clockOffset server clock minus agent clock, measured at Hello
 * @param leaseExpiresAt until when the holder counts as live without hearing from the agent again
 * @param protocolVersion the version both sides speak on the stream, as its Welcome said
 */
record AgentSession(String hostId, ReplicaId replicaId, String connectionId, String incarnationId, String bootId,
                    Duration clockOffset, Instant connectedAt, Instant leaseExpiresAt, Instant lastSeenAt, int protocolVersion) {
}
