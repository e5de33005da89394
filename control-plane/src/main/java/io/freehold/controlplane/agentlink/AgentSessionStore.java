package io.freehold.controlplane.agentlink;

import static io.freehold.controlplane.platform.db.SqlTime.instant;
import static io.freehold.controlplane.platform.db.SqlTime.utc;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * {@code agent_session}: one row per host naming the replica and stream that hold it. Every write but
 * the take-over names the stream it is made for, so a replica holding a stale stream changes nothing.
 */
@Repository
class AgentSessionStore {

    private final JdbcClient jdbc;

    AgentSessionStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Records a new stream for the host, replacing whatever replica or stream held it: the newest connection wins. */
    void takeOver(AgentSession session) {
        jdbc.sql("""
                        insert into agent_session (host_id, replica_id, connection_id, incarnation_id, boot_id, clock_offset_ms,
                                                   connected_at, lease_expires_at, last_seen_at, protocol_version)
                        values (:host, :replica, :connection, :incarnation, :boot, :offset, :connectedAt, :lease, :lastSeen, :version)
                        on conflict (host_id) do update set
                            replica_id = excluded.replica_id, connection_id = excluded.connection_id,
                            incarnation_id = excluded.incarnation_id, boot_id = excluded.boot_id,
                            clock_offset_ms = excluded.clock_offset_ms, connected_at = excluded.connected_at,
                            lease_expires_at = excluded.lease_expires_at, last_seen_at = excluded.last_seen_at,
                            protocol_version = excluded.protocol_version
                        """)
                .param("host", session.hostId())
                .param("replica", session.replicaId().value())
                .param("connection", session.connectionId())
                .param("incarnation", session.incarnationId())
                .param("boot", session.bootId())
                .param("offset", session.clockOffset().toMillis())
                .param("connectedAt", utc(session.connectedAt()))
                .param("lease", utc(session.leaseExpiresAt()))
                .param("lastSeen", utc(session.lastSeenAt()))
                .param("version", session.protocolVersion())
                .update();
    }

    /**
     * Extends the stream's lease, locking the row until the transaction ends.
     *
     * @return false when another stream has taken the host over
     */
    boolean extendLease(String hostId, String connectionId, Instant now, Instant leaseExpiresAt) {
        return jdbc.sql("""
                        update agent_session set last_seen_at = :now, lease_expires_at = :lease
                        where host_id = :host and connection_id = :connection
                        """)
                .param("host", hostId)
                .param("connection", connectionId)
                .param("now", utc(now))
                .param("lease", utc(leaseExpiresAt))
                .update() == 1;
    }

    /**
     * Extends the leases of many streams at once, one statement for a batch of heartbeats, locking each row it
     * changes until the transaction ends. A stream that lost its host's row changes nothing.
     *
     * @return host id → connection id of the streams that still held their host's session
     */
    Map<String, String> extendLeases(List<String> hostIds, List<String> connectionIds, Instant now, Instant leaseExpiresAt) {
        return jdbc.sql("""
                        update agent_session s set last_seen_at = :now, lease_expires_at = :lease
                        from unnest(cast(:hosts as text[]), cast(:connections as text[])) as beat (host_id, connection_id)
                        where s.host_id = beat.host_id and s.connection_id = beat.connection_id
                        returning s.host_id, s.connection_id
                        """)
                .param("hosts", hostIds.toArray(String[]::new))
                .param("connections", connectionIds.toArray(String[]::new))
                .param("now", utc(now))
                .param("lease", utc(leaseExpiresAt))
                .query((rs, n) -> Map.entry(rs.getString("host_id"), rs.getString("connection_id")))
                .list().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    /**
     * Ends the stream's session. A concurrent take-over holds the row lock, so exactly one of the two
     * wins: either this delete happens first, or it finds another stream's row and deletes nothing.
     *
     * @return false when another stream had taken the host over
     */
    boolean release(String hostId, String connectionId) {
        return jdbc.sql("delete from agent_session where host_id = :host and connection_id = :connection")
                .param("host", hostId)
                .param("connection", connectionId)
                .update() == 1;
    }

    /**
     * The protocol version of the host's session, when its lease has not lapsed: whether some replica holds a live
     * stream of the host, and what that stream can carry.
     */
    Optional<Integer> liveVersion(String hostId, Instant now) {
        return jdbc.sql("select coalesce(protocol_version, 1) from agent_session where host_id = :host and lease_expires_at > :now")
                .param("host", hostId).param("now", utc(now))
                .query(Integer.class).optional();
    }

    Optional<AgentSession> find(String hostId) {
        return jdbc.sql("""
                        select host_id, replica_id, connection_id, incarnation_id, boot_id, clock_offset_ms, connected_at,
                               lease_expires_at, last_seen_at, coalesce(protocol_version, 1) as protocol_version
                        from agent_session where host_id = :host
                        """)
                .param("host", hostId)
                .query((rs, n) -> new AgentSession(rs.getString("host_id"), new ReplicaId(rs.getString("replica_id")),
                        rs.getString("connection_id"), rs.getString("incarnation_id"), rs.getString("boot_id"),
                        Duration.ofMillis(rs.getLong("clock_offset_ms")), instant(rs, "connected_at"),
                        instant(rs, "lease_expires_at"), instant(rs, "last_seen_at"), rs.getInt("protocol_version")))
                .optional();
    }
}
