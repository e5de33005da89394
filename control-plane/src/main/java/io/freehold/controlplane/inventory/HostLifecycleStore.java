package io.freehold.controlplane.inventory;

import static io.freehold.controlplane.platform.db.SqlTime.utc;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.json.JsonMapper;

/** The parts of a host that its agent drives: state, facts, heartbeats, and the host event log. */
@Repository
class HostLifecycleStore {

    private final JdbcClient jdbc;
    private final JsonMapper json;

    HostLifecycleStore(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /** Locks the host's row for a state change. */
    Optional<HostState> lockState(String hostId) {
        return jdbc.sql("select state from host where id = :id for update")
                .param("id", hostId)
                .query((rs, n) -> HostState.valueOf(rs.getString("state")))
                .optional();
    }

    Optional<HostState> state(String hostId) {
        return jdbc.sql("select state from host where id = :id")
                .param("id", hostId)
                .query((rs, n) -> HostState.valueOf(rs.getString("state")))
                .optional();
    }

    boolean joined(String hostId) {
        return jdbc.sql("select joined_at is not null from host where id = :id")
                .param("id", hostId)
                .query(Boolean.class)
                .single();
    }

    void insertJoined(String hostId, HostFacts facts, InventoryProperties.HostDefaults defaults, Instant now) {
        jdbc.sql("""
                        insert into host (id, hostname, labels, cpu_ratio, memory_ratio, disk_ratio, reserved_vcpus,
                                          reserved_memory_mib, reserved_disk_gib, state, facts, joined_at, created_at, updated_at, height_u)
                        values (:id, :hostname, '{}'::jsonb, :cpu, :memory, :disk, :vcpus, :memoryMib, :diskGib,
                                'REGISTERED', cast(:facts as jsonb), :now, :now, :now, 1)
                        """)
                .param("id", hostId)
                .param("hostname", facts.hostname())
                .param("cpu", defaults.cpuRatio())
                .param("memory", defaults.memoryRatio())
                .param("disk", defaults.diskRatio())
                .param("vcpus", defaults.reservedVcpus())
                .param("memoryMib", defaults.reservedMemoryMib())
                .param("diskGib", defaults.reservedDiskGib())
                .param("facts", json.writeValueAsString(facts))
                .param("now", utc(now))
                .update();
    }

    /** Fills a pre-registered slot with the joining server's facts; its hostname too unless ops set one. */
    void fillSlot(String hostId, HostFacts facts, Instant now) {
        jdbc.sql("""
                        update host set facts = cast(:facts as jsonb), hostname = coalesce(hostname, :hostname),
                                        joined_at = :now, updated_at = :now, version = version + 1
                        where id = :id
                        """)
                .param("id", hostId)
                .param("facts", json.writeValueAsString(facts))
                .param("hostname", facts.hostname())
                .param("now", utc(now))
                .update();
    }

    void recordConnection(String hostId, HostState state, HostFacts facts, Instant now) {
        jdbc.sql("""
                        update host set state = :state, facts = cast(:facts as jsonb), last_heartbeat_at = :now,
                                        updated_at = :now, version = version + 1
                        where id = :id
                        """)
                .param("id", hostId)
                .param("state", state.name())
                .param("facts", json.writeValueAsString(facts))
                .param("now", utc(now))
                .update();
    }

    void recordHeartbeat(String hostId, HostUtilisation utilisation, Instant now) {
        jdbc.sql("update host set utilisation = cast(:utilisation as jsonb), last_heartbeat_at = :now where id = :id")
                .param("id", hostId)
                .param("utilisation", json.writeValueAsString(utilisation))
                .param("now", utc(now))
                .update();
    }

    /**
     * Records a batch of heartbeats in one statement, for hosts that exist and are not revoked, locking each row it
     * changes until the transaction ends.
     *
     * @return host id → state (unchanged by this) of each host whose heartbeat was recorded
     */
    Map<String, HostState> recordHeartbeats(Map<String, HostUtilisation> utilisations, Instant now) {
        List<Map.Entry<String, HostUtilisation>> beats = List.copyOf(utilisations.entrySet());
        return jdbc.sql("""
                        update host h set utilisation = cast(beat.utilisation as jsonb), last_heartbeat_at = :now
                        from unnest(cast(:ids as text[]), cast(:utilisations as text[])) as beat (id, utilisation)
                        where h.id = beat.id and h.state <> 'REVOKED'
                        returning h.id, h.state
                        """)
                .param("ids", beats.stream().map(Map.Entry::getKey).toArray(String[]::new))
                .param("utilisations", beats.stream().map(beat -> json.writeValueAsString(beat.getValue())).toArray(String[]::new))
                .param("now", utc(now))
                .query((rs, n) -> Map.entry(rs.getString("id"), HostState.valueOf(rs.getString("state"))))
                .list().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    void setState(String hostId, HostState state, Instant now) {
        jdbc.sql("update host set state = :state, updated_at = :now, version = version + 1 where id = :id")
                .param("id", hostId)
                .param("state", state.name())
                .param("now", utc(now))
                .update();
    }

    /** READY hosts whose last heartbeat is older than {@code silentSince}, locked and skipping rows another replica holds. */
    List<String> lockSilentHosts(Instant silentSince) {
        return jdbc.sql("""
                        select id from host where state = 'READY' and last_heartbeat_at < :since
                        order by id for update skip locked
                        """)
                .param("since", utc(silentSince))
                .query(String.class)
                .list();
    }

    void appendEvent(String eventId, String hostId, String kind, HostState from, HostState to, String reason, Instant now) {
        jdbc.sql("""
                        insert into host_event (id, host_id, occurred_at, kind, from_state, to_state, reason)
                        values (:id, :host, :now, :kind, :from, :to, :reason)
                        """)
                .param("id", eventId)
                .param("host", hostId)
                .param("now", utc(now))
                .param("kind", kind)
                .param("from", from == null ? null : from.name())
                .param("to", to == null ? null : to.name())
                .param("reason", reason)
                .update();
    }
}
