package io.freehold.controlplane.agentlink;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.freehold.controlplane.inventory.HostFacts;
import io.freehold.controlplane.inventory.HostRegistry;
import io.freehold.controlplane.metering.GuestCounterReading;
import io.freehold.controlplane.metering.LifecycleLog;
import io.freehold.controlplane.inventory.HostState;
import io.freehold.controlplane.inventory.HostUtilisation;
import io.freehold.controlplane.inventory.InventoryProperties;
import io.grpc.Status;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * What a Connect stream does to its host's session and, through {@link HostRegistry}, to the host.
 * Each step is one transaction that writes the session row and the host together, taking the session
 * row's lock before the host's, so the row and the host's state never disagree and a stream ending on
 * one replica cannot undo a newer stream's Hello on another.
 */
@Service
class AgentSessions {

    /** What became of a heartbeat. */
    enum Beat {
        RECORDED,
        /** A newer stream holds the host; this one is stale and nothing was written. */
        TAKEN_OVER,
        /** The host was revoked or deleted; its session is gone. */
        REFUSED
    }

    private final AgentSessionStore store;
    private final HostRegistry hosts;
    private final InventoryProperties inventory;
    private final ReplicaId replica;
    private final Clock clock;
    private final TransactionTemplate transaction;
    private final LifecycleLog lifecycle;

    AgentSessions(AgentSessionStore store, HostRegistry hosts, InventoryProperties inventory, ReplicaId replica, Clock clock,
                  TransactionTemplate transaction, LifecycleLog lifecycle) {
        this.lifecycle = lifecycle;
        this.store = store;
        this.hosts = hosts;
        this.inventory = inventory;
        this.replica = replica;
        this.clock = clock;
        this.transaction = transaction;
    }

    /** A host may open a stream while it exists and is not revoked. */
    boolean admitted(String hostId) {
        return hosts.state(hostId).filter(state -> state != HostState.REVOKED).isPresent();
    }

    /**
     * The agent said Hello on a new stream: this replica takes the session over and the host is
     * connected with the facts the agent sent.
     *
     * @throws io.grpc.StatusRuntimeException PERMISSION_DENIED when the host was revoked or deleted
     *         meanwhile; nothing is written then
     */
    Duration open(String hostId, String connectionId, HostFacts facts, int protocolVersion, Instant agentSentAt) {
        Instant now = clock.instant();
        Duration offset = SessionTerms.clockOffset(now, agentSentAt);
        AgentSession session = new AgentSession(hostId, replica, connectionId, facts.incarnationId(), facts.bootId(), offset, now,
                leaseFrom(now), now, protocolVersion);
        transaction.executeWithoutResult(tx -> {
            if (!admitted(hostId)) {
                throw refused(hostId);
            }
            store.takeOver(session);
            if (hosts.connected(hostId, facts, now) == HostState.REVOKED) {
                throw refused(hostId);
            }
        });
        return offset;
    }

    /** Records a heartbeat and extends the lease, if this stream still holds the host's session. */
    Beat heartbeat(String hostId, String connectionId, HostUtilisation utilisation, List<GuestCounterReading> counters) {
        Instant now = clock.instant();
        return transaction.execute(tx -> {
            if (!admitted(hostId)) {
                store.release(hostId, connectionId);
                return Beat.REFUSED;
            }
            if (!store.extendLease(hostId, connectionId, now, leaseFrom(now))) {
                return Beat.TAKEN_OVER;
            }
            hosts.heartbeat(hostId, utilisation, now);
            lifecycle.counters(counters, now);
            return Beat.RECORDED;
        });
    }

    /**
     * Records a batch of heartbeats in one transaction, with exactly the outcome {@link #heartbeat} would give each
     * one alone: a stream that still holds its host's session extends the lease and records the heartbeat; a stream
     * that lost it changes nothing (TAKEN_OVER); a revoked or deleted host's session ends (REFUSED). Locks are taken
     * as there: session rows first, then host rows. The heartbeats must come from distinct streams.
     *
     * @return each heartbeat's outcome
     */
    Map<ReceivedHeartbeat, Beat> heartbeats(List<ReceivedHeartbeat> beats) {
        Instant now = clock.instant();
        return transaction.execute(tx -> {
            Map<String, String> held = store.extendLeases(beats.stream().map(ReceivedHeartbeat::hostId).toList(),
                    beats.stream().map(ReceivedHeartbeat::connectionId).toList(), now, leaseFrom(now));
            Map<String, HostUtilisation> current = new HashMap<>();
            beats.stream().filter(beat -> beat.connectionId().equals(held.get(beat.hostId())))
                    .forEach(beat -> current.put(beat.hostId(), beat.utilisation()));
            Set<String> recorded = current.isEmpty() ? Set.of() : hosts.heartbeats(current, now);
            lifecycle.counters(beats.stream().filter(beat -> beat.connectionId().equals(held.get(beat.hostId())))
                    .filter(beat -> recorded.contains(beat.hostId())).flatMap(beat -> beat.counters().stream()).toList(), now);
            Map<ReceivedHeartbeat, Beat> outcomes = new LinkedHashMap<>();
            for (ReceivedHeartbeat beat : beats) {
                if (beat.connectionId().equals(held.get(beat.hostId())) && recorded.contains(beat.hostId())) {
                    outcomes.put(beat, Beat.RECORDED);
                } else if (!admitted(beat.hostId())) {
                    store.release(beat.hostId(), beat.connectionId());
                    outcomes.put(beat, Beat.REFUSED);
                } else {
                    outcomes.put(beat, Beat.TAKEN_OVER);
                }
            }
            return outcomes;
        });
    }

    /**
     * The stream ended. If it still held the host's session, the session ends and the host is
     * disconnected; if another stream took the host over, nothing happens. Idempotent.
     */
    void close(String hostId, String connectionId, String reason) {
        Instant now = clock.instant();
        transaction.executeWithoutResult(tx -> {
            if (store.release(hostId, connectionId)) {
                hosts.disconnected(hostId, reason, now);
            }
        });
    }

    Duration heartbeatInterval() {
        return inventory.heartbeatInterval();
    }

    private Instant leaseFrom(Instant now) {
        return SessionTerms.leaseExpiry(now, inventory.heartbeatInterval(), inventory.missedHeartbeats());
    }

    private static RuntimeException refused(String hostId) {
        return Status.PERMISSION_DENIED.withDescription("host " + hostId + " is revoked or no longer exists").asRuntimeException();
    }
}
