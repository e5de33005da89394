package io.freehold.controlplane.inventory;

import static io.freehold.controlplane.platform.db.SqlTime.instant;
import static io.freehold.controlplane.platform.db.SqlTime.utc;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.freehold.controlplane.platform.web.PageRequest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** Hosts as ops see and change them: slots, names, labels, ratios, reservations, cordon, and their events. */
@Repository
class HostStore {

    /** What to list: each filter null (or empty labels) for "any". */
    record Filter(HostState state, String siteId, String rackId, Map<String, String> labels, Boolean cordoned) {
    }

    private static final TypeReference<Map<String, String>> LABELS = new TypeReference<>() {
    };

    private static final String SELECT = """
            select h.id, r.site_id, h.rack_id, h.position_u, h.height_u, h.hostname, h.serial, h.asset_tag, h.notes,
                   cast(h.labels as text) as labels, h.cpu_ratio, h.memory_ratio, h.disk_ratio, h.reserved_vcpus,
                   h.reserved_memory_mib, h.reserved_disk_gib, h.state, h.cordoned, h.version, cast(h.facts as text) as facts,
                   cast(h.utilisation as text) as utilisation, h.joined_at, h.last_heartbeat_at, h.created_at, h.updated_at
              from host h left join rack r on r.id = h.rack_id
            """;

    private final JdbcClient jdbc;
    private final JsonMapper json;

    HostStore(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    void insert(Host host) {
        jdbc.sql("""
                        insert into host (id, rack_id, position_u, height_u, hostname, serial, asset_tag, notes, labels,
                                          cpu_ratio, memory_ratio, disk_ratio, reserved_vcpus, reserved_memory_mib, reserved_disk_gib,
                                          state, cordoned, version, created_at, updated_at)
                        values (:id, :rack, :positionU, :heightU, :hostname, :serial, :assetTag, :notes, cast(:labels as jsonb),
                                :cpuRatio, :memoryRatio, :diskRatio, :reservedVcpus, :reservedMemoryMib, :reservedDiskGib,
                                :state, :cordoned, :version, :createdAt, :updatedAt)
                        """)
                .param("id", host.id())
                .param("rack", host.rackId())
                .param("positionU", host.positionU())
                .param("heightU", host.heightU())
                .param("hostname", host.hostname())
                .param("serial", host.serial())
                .param("assetTag", host.assetTag())
                .param("notes", host.notes())
                .param("labels", json.writeValueAsString(host.labels()))
                .param("cpuRatio", host.cpuRatio())
                .param("memoryRatio", host.memoryRatio())
                .param("diskRatio", host.diskRatio())
                .param("reservedVcpus", host.reservedVcpus())
                .param("reservedMemoryMib", host.reservedMemoryMib())
                .param("reservedDiskGib", host.reservedDiskGib())
                .param("state", host.state().name())
                .param("cordoned", host.cordoned())
                .param("version", host.version())
                .param("createdAt", utc(host.createdAt()))
                .param("updatedAt", utc(host.updatedAt()))
                .update();
    }

    Optional<Host> find(String id) {
        return jdbc.sql(SELECT + " where h.id = :id").param("id", id).query(this::map).optional();
    }

    /** Reads and locks the host, so that ops' changes and the agent's state changes apply one after the other. */
    Optional<Host> lock(String id) {
        return jdbc.sql(SELECT + " where h.id = :id for update of h").param("id", id).query(this::map).optional();
    }

    List<Host> list(Filter filter, PageRequest page) {
        return jdbc.sql(SELECT + """
                         where (cast(:state as text) is null or h.state = :state)
                           and (cast(:site as text) is null or r.site_id = :site)
                           and (cast(:rack as text) is null or h.rack_id = :rack)
                           and (cast(:labels as jsonb) is null or h.labels @> cast(:labels as jsonb))
                           and (cast(:cordoned as boolean) is null or h.cordoned = :cordoned)
                           and (cast(:after as text) is null or h.id > :after)
                         order by h.id
                         limit :limit
                        """)
                .param("state", filter.state() == null ? null : filter.state().name())
                .param("site", filter.siteId())
                .param("rack", filter.rackId())
                .param("labels", filter.labels() == null || filter.labels().isEmpty() ? null : json.writeValueAsString(filter.labels()))
                .param("cordoned", filter.cordoned())
                .param("after", page.after())
                .param("limit", page.fetchSize())
                .query(this::map)
                .list();
    }

    /** Every host that is not revoked in the rack, or in the site, for summing their capacity. */
    List<Host> countedIn(String rackId, String siteId) {
        return jdbc.sql(SELECT + """
                         where h.state <> 'REVOKED'
                           and (cast(:rack as text) is null or h.rack_id = :rack)
                           and (cast(:site as text) is null or r.site_id = :site)
                         order by h.id
                        """)
                .param("rack", rackId)
                .param("site", siteId)
                .query(this::map)
                .list();
    }

    /**
     * Reads and locks the hosts no other transaction holds, leaving out those held elsewhere instead of waiting for them.
     * {@code NO KEY UPDATE}, not {@code UPDATE}: it excludes other placements and every change of the row, but not the
     * foreign key checks of rows that name the host (reports, commands, events), which a placement must not hold up.
     */
    List<Host> lockAvailable(Collection<String> ids) {
        return jdbc.sql(SELECT + " where h.id = any(:ids) order by h.id for no key update of h skip locked")
                .param("ids", ids.toArray(String[]::new))
                .query(this::map)
                .list();
    }

    /** The version of every host that is not revoked: two narrow columns, cheap enough to read before every plan. */
    Map<String, Long> versionsOfCounted() {
        Map<String, Long> versions = new HashMap<>();
        jdbc.sql("select id, version from host where state <> 'REVOKED'")
                .query(rs -> {
                    versions.put(rs.getString("id"), rs.getLong("version"));
                });
        return versions;
    }

    /** These hosts, those of them that are not revoked, in id order. */
    List<Host> countedAmong(Collection<String> ids) {
        return jdbc.sql(SELECT + " where h.id = any(:ids) and h.state <> 'REVOKED' order by h.id")
                .param("ids", ids.toArray(String[]::new))
                .query(this::map)
                .list();
    }

    void bumpVersions(Collection<String> ids) {
        jdbc.sql("update host set version = version + 1 where id = any(:ids)").param("ids", ids.toArray(String[]::new)).update();
    }

    /** Writes what ops may change; the state and what the agent reports are the lifecycle store's. */
    void update(Host host) {
        jdbc.sql("""
                        update host set rack_id = :rack, position_u = :positionU, height_u = :heightU, hostname = :hostname,
                                        serial = :serial, asset_tag = :assetTag, notes = :notes, labels = cast(:labels as jsonb),
                                        cpu_ratio = :cpuRatio, memory_ratio = :memoryRatio, disk_ratio = :diskRatio,
                                        reserved_vcpus = :reservedVcpus, reserved_memory_mib = :reservedMemoryMib,
                                        reserved_disk_gib = :reservedDiskGib, cordoned = :cordoned, version = :version,
                                        updated_at = :updatedAt
                        where id = :id
                        """)
                .param("id", host.id())
                .param("rack", host.rackId())
                .param("positionU", host.positionU())
                .param("heightU", host.heightU())
                .param("hostname", host.hostname())
                .param("serial", host.serial())
                .param("assetTag", host.assetTag())
                .param("notes", host.notes())
                .param("labels", json.writeValueAsString(host.labels()))
                .param("cpuRatio", host.cpuRatio())
                .param("memoryRatio", host.memoryRatio())
                .param("diskRatio", host.diskRatio())
                .param("reservedVcpus", host.reservedVcpus())
                .param("reservedMemoryMib", host.reservedMemoryMib())
                .param("reservedDiskGib", host.reservedDiskGib())
                .param("cordoned", host.cordoned())
                .param("version", host.version())
                .param("updatedAt", utc(host.updatedAt()))
                .update();
    }

    /** Cordoning changes where new work may go, so it bumps the version placement checks. */
    void setCordoned(String id, boolean cordoned, Instant now) {
        jdbc.sql("update host set cordoned = :cordoned, version = version + 1, updated_at = :now where id = :id")
                .param("id", id)
                .param("cordoned", cordoned)
                .param("now", utc(now))
                .update();
    }

    /** Removes the host with its events and join tokens. */
    void delete(String id) {
        jdbc.sql("delete from host where id = :id").param("id", id).update();
    }

    List<HostEvent> events(String hostId, PageRequest page) {
        return jdbc.sql("""
                        select id, host_id, occurred_at, kind, from_state, to_state, reason
                          from host_event
                         where host_id = :host
                           and (cast(:after as text) is null or id > :after)
                         order by id
                         limit :limit
                        """)
                .param("host", hostId)
                .param("after", page.after())
                .param("limit", page.fetchSize())
                .query((rs, n) -> new HostEvent(rs.getString("id"), rs.getString("host_id"), instant(rs, "occurred_at"),
                        rs.getString("kind"), state(rs.getString("from_state")), state(rs.getString("to_state")), rs.getString("reason")))
                .list();
    }

    private Host map(ResultSet rs, int row) throws SQLException {
        String facts = rs.getString("facts");
        String utilisation = rs.getString("utilisation");
        return new Host(rs.getString("id"), rs.getString("site_id"), rs.getString("rack_id"), rs.getObject("position_u", Integer.class),
                rs.getInt("height_u"), rs.getString("hostname"), rs.getString("serial"), rs.getString("asset_tag"),
                rs.getString("notes"), json.readValue(rs.getString("labels"), LABELS), rs.getBigDecimal("cpu_ratio"),
                rs.getBigDecimal("memory_ratio"), rs.getBigDecimal("disk_ratio"), rs.getInt("reserved_vcpus"),
                rs.getLong("reserved_memory_mib"), rs.getLong("reserved_disk_gib"), HostState.valueOf(rs.getString("state")),
                rs.getBoolean("cordoned"), rs.getLong("version"),
                facts == null ? null : json.readValue(facts, HostFacts.class),
                utilisation == null ? null : json.readValue(utilisation, HostUtilisation.class),
                instant(rs, "joined_at"), instant(rs, "last_heartbeat_at"), instant(rs, "created_at"), instant(rs, "updated_at"));
    }

    private static HostState state(String name) {
        return name == null ? null : HostState.valueOf(name);
    }
}
