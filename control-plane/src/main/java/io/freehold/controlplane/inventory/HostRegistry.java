package io.freehold.controlplane.inventory;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.freehold.controlplane.inventory.decision.HostLifecycle;
import io.freehold.controlplane.inventory.decision.HostLifecycle.Event;
import io.freehold.controlplane.platform.ids.IdGenerator;
import io.freehold.controlplane.platform.security.SecretToken;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * What the agent link tells inventory about hosts, and asks of it. Every method is one transaction,
 * idempotent where the agent may repeat itself (a repeated Hello or heartbeat changes nothing more),
 * and records each state change as a host event with its reason.
 */
@Service
public class HostRegistry {

    static final String JOIN_TOKEN_KIND = "fhj";
    static final String HOST_ID_PREFIX = "h";
    static final String JOIN_TOKEN_ID_PREFIX = "jt";
    private static final String EVENT_ID_PREFIX = "he";

    private final JoinTokenStore joinTokens;
    private final HostLifecycleStore hosts;
    private final IdGenerator ids;
    private final InventoryProperties properties;
    private final ApplicationEventPublisher events;

    HostRegistry(JoinTokenStore joinTokens, HostLifecycleStore hosts, IdGenerator ids, InventoryProperties properties,
                 ApplicationEventPublisher events) {
        this.joinTokens = joinTokens;
        this.hosts = hosts;
        this.ids = ids;
        this.properties = properties;
        this.events = events;
    }

    /**
     * Redeems a join token: the token is used up and the host exists (the pre-registered slot the token
     * names, or a new unracked host) in state REGISTERED until its agent connects.
     *
     * @return the host id to put in the agent's certificate
     * @throws JoinRefused for an unknown, wrong, used or expired token, or a slot that is already taken;
     *         nothing is written then
     */
    @Transactional
    public String join(String joinToken, HostFacts facts, Instant now) {
        SecretToken secret = SecretToken.parse(JOIN_TOKEN_KIND, joinToken)
                .orElseThrow(() -> new JoinRefused("the join token is malformed; copy it exactly as ops printed it"));
        JoinTokenStore.StoredJoinToken stored = joinTokens.lockByPrefix(secret.prefix())
                .filter(token -> secret.matches(token.secretHash()))
                .orElseThrow(() -> new JoinRefused("the join token is not known to this control plane"));
        if (stored.usedAt() != null) {
            throw new JoinRefused("the join token was already used at " + stored.usedAt() + "; ask ops for a new one");
        }
        if (!now.isBefore(stored.expiresAt())) {
            throw new JoinRefused("the join token expired at " + stored.expiresAt() + "; ask ops for a new one");
        }
        String hostId;
        if (stored.hostId() != null) {
            hostId = stored.hostId();
            HostState state = hosts.lockState(hostId).orElseThrow(() -> new JoinRefused("the slot of this join token no longer exists"));
            if (state != HostState.REGISTERED) {
                throw new JoinRefused("the slot of this join token is already " + state);
            }
            hosts.fillSlot(hostId, facts, now);
        } else {
            hostId = ids.next(HOST_ID_PREFIX);
            hosts.insertJoined(hostId, facts, properties.defaults(), now);
        }
        joinTokens.markUsed(stored.id(), hostId, now);
        hosts.appendEvent(ids.next(EVENT_ID_PREFIX), hostId, "joined", null, HostState.REGISTERED,
                "agent on " + facts.hostname() + " joined with token " + secret.prefix(), now);
        return hostId;
    }

    /**
     * Issues a single-use join token, stored hashed.
     *
     * @param hostId a pre-registered slot (state REGISTERED, not yet joined) the server will fill, or null
     * @param lifetime how long the token may be redeemed; {@code freehold.inventory.join-token-lifetime} when null
     * @throws JoinRefused when the slot does not exist or is already taken
     */
    @Transactional
    public IssuedJoinToken issueJoinToken(String hostId, Duration lifetime, String createdBy, Instant now) {
        if (hostId != null) {
            HostState state = hosts.lockState(hostId).orElseThrow(() -> new JoinRefused("no host slot " + hostId));
            if (state != HostState.REGISTERED || hosts.joined(hostId)) {
                throw new JoinRefused("host " + hostId + " already has an agent");
            }
        }
        SecretToken secret = SecretToken.generate(JOIN_TOKEN_KIND);
        String id = ids.next(JOIN_TOKEN_ID_PREFIX);
        Instant expiresAt = now.plus(lifetime == null ? properties.joinTokenLifetime() : lifetime);
        joinTokens.insert(id, secret.prefix(), secret.hash(), hostId, createdBy, now, expiresAt);
        return new IssuedJoinToken(id, secret.token(), hostId, expiresAt);
    }

    /** @return the host's state, or empty when no such host exists */
    public Optional<HostState> state(String hostId) {
        return hosts.state(hostId);
    }

    /**
     * Its agent said Hello: the facts are stored and the host becomes READY (unless revoked).
     *
     * @return the host's state afterwards
     */
    @Transactional
    public HostState connected(String hostId, HostFacts facts, Instant now) {
        HostState current = hosts.lockState(hostId).orElseThrow(() -> new IllegalArgumentException("no host " + hostId));
        if (current == HostState.REVOKED) {
            return current;
        }
        HostState next = HostLifecycle.next(current, Event.CONNECTED).orElse(current);
        hosts.recordConnection(hostId, next, facts, now);
        if (next != current) {
            changed(hostId, "connected", current, next,
                    "agent " + facts.agentVersion() + " (incarnation " + facts.incarnationId() + ") connected", now);
        }
        return next;
    }

    /** Records a heartbeat; an UNREACHABLE host whose heartbeats resume is READY again. */
    @Transactional
    public void heartbeat(String hostId, HostUtilisation utilisation, Instant now) {
        hosts.recordHeartbeat(hostId, utilisation, now);
        transition(hostId, Event.HEARTBEAT, "heartbeats resumed", now);
    }

    /**
     * Records a batch of heartbeats, as {@link #heartbeat} does for one, in this transaction: each host that exists
     * and is not revoked gets its utilisation and time, and an UNREACHABLE one is READY again.
     *
     * @return the hosts whose heartbeats were recorded; the others are revoked or no longer exist
     */
    @Transactional
    public Set<String> heartbeats(Map<String, HostUtilisation> utilisations, Instant now) {
        Map<String, HostState> recorded = hosts.recordHeartbeats(utilisations, now);
        // recordHeartbeats locked every row it returned, so each state read there is still current.
        recorded.forEach((hostId, current) -> HostLifecycle.next(current, Event.HEARTBEAT).ifPresent(next -> {
            hosts.setState(hostId, next, now);
            changed(hostId, "heartbeat", current, next, "heartbeats resumed", now);
        }));
        return recorded.keySet();
    }

    /** The agent's stream closed; unless it reconnected elsewhere meanwhile, the host is UNREACHABLE. */
    @Transactional
    public void disconnected(String hostId, String reason, Instant now) {
        transition(hostId, Event.DISCONNECTED, reason, now);
    }

    /**
     * Marks every READY host silent for longer than the silence limit UNREACHABLE. Safe to run on every
     * replica at once: rows another replica is handling are skipped.
     *
     * @return how many hosts became UNREACHABLE
     */
    @Transactional
    public int markSilentHostsUnreachable(Instant now) {
        var silent = hosts.lockSilentHosts(now.minus(properties.silenceLimit()));
        String reason = "no heartbeat for " + properties.silenceLimit().toSeconds() + " s (" + properties.missedHeartbeats()
                + " missed)";
        silent.forEach(hostId -> {
            hosts.setState(hostId, HostState.UNREACHABLE, now);
            changed(hostId, "missed-heartbeats", HostState.READY, HostState.UNREACHABLE, reason, now);
        });
        return silent.size();
    }

    private void transition(String hostId, Event event, String reason, Instant now) {
        hosts.lockState(hostId).ifPresent(current -> HostLifecycle.next(current, event).ifPresent(next -> {
            hosts.setState(hostId, next, now);
            changed(hostId, event.name().toLowerCase(), current, next, reason, now);
        }));
    }

    /** Records a state change the host's row already has, and tells the listeners in this transaction. */
    private void changed(String hostId, String kind, HostState from, HostState to, String reason, Instant now) {
        hosts.appendEvent(ids.next(EVENT_ID_PREFIX), hostId, kind, from, to, reason, now);
        events.publishEvent(new HostStateChanged(hostId, from, to, now));
    }
}
