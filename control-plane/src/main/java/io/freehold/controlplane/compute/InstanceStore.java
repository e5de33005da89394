package io.freehold.controlplane.compute;

import static io.freehold.controlplane.platform.db.SqlTime.instant;
import static io.freehold.controlplane.platform.db.SqlTime.utc;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import io.freehold.controlplane.compute.decision.Condition;
import io.freehold.controlplane.compute.decision.GuestObservation;
import io.freehold.controlplane.compute.decision.InstancePhase;
import io.freehold.controlplane.compute.decision.InstanceStatus;
import io.freehold.controlplane.compute.decision.PowerState;
import io.freehold.controlplane.platform.web.PageRequest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** Instances: inserted, read (live ones unless said otherwise), locked, and their spec or status changed. */
@Repository
class InstanceStore {

    /** What to list: each filter null (or empty labels) for "any". @param tenantId null for every tenant */
    record Filter(String tenantId, InstancePhase phase, String name, Map<String, String> labels) {
    }

    private static final TypeReference<Map<String, String>> LABELS = new TypeReference<>() {
    };
    private static final TypeReference<List<String>> KEYS = new TypeReference<>() {
    };
    private static final TypeReference<List<Condition>> CONDITIONS = new TypeReference<>() {
    };

    private static final String SELECT = """
            select i.id, i.tenant_id, i.name, cast(i.labels as text) as labels, i.flavor_id, i.vcpus, i.memory_mib, i.root_disk_gib,
                   i.image_ref, cast(i.ssh_keys as text) as ssh_keys, i.user_data, i.placement_group_id, i.generation, i.power_state,
                   i.reboot_count, i.phase, i.host_id, i.observed_generation, cast(i.conditions as text) as conditions,
                   i.created_at, i.updated_at, i.deleted_at
              from instance i
            """;

    private final JdbcClient jdbc;
    private final JsonMapper json;

    InstanceStore(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /** @return false when the tenant has a live instance of that name */
    boolean insert(Instance instance) {
        InstanceSpec spec = instance.spec();
        return jdbc.sql("""
                        insert into instance (id, tenant_id, name, flavor_id, vcpus, memory_mib, root_disk_gib, image_ref, ssh_keys, user_data,
                                              placement_group_id, labels, generation, power_state, reboot_count, phase, host_id,
                                              observed_generation, conditions, created_at, updated_at)
                        values (:id, :tenant, :name, :flavor, :vcpus, :memoryMib, :rootDiskGib, :imageRef, cast(:sshKeys as jsonb), :userData,
                                :group, cast(:labels as jsonb), :generation, :powerState, :rebootCount, :phase, :host,
                                :observedGeneration, cast(:conditions as jsonb), :createdAt, :updatedAt)
                        on conflict (tenant_id, name) where deleted_at is null do nothing
                        """)
                .param("id", instance.id())
                .param("tenant", instance.tenantId())
                .param("name", instance.name())
                .param("flavor", spec.flavorId())
                .param("vcpus", spec.vcpus())
                .param("memoryMib", spec.memoryMib())
                .param("rootDiskGib", spec.rootDiskGib())
                .param("imageRef", spec.imageRef())
                .param("sshKeys", json.writeValueAsString(spec.sshKeys()))
                .param("userData", spec.userData())
                .param("group", spec.placementGroupId())
                .param("labels", json.writeValueAsString(instance.labels()))
                .param("generation", spec.generation())
                .param("powerState", spec.powerState().wireName())
                .param("rebootCount", spec.rebootCount())
                .param("phase", instance.status().phase().name())
                .param("host", instance.status().hostId())
                .param("observedGeneration", instance.status().observedGeneration())
                .param("conditions", json.writeValueAsString(instance.status().conditions()))
                .param("createdAt", utc(instance.createdAt()))
                .param("updatedAt", utc(instance.updatedAt()))
                .update() == 1;
    }

    /** A live instance. */
    Optional<Instance> find(String id) {
        return jdbc.sql(SELECT + " where i.id = :id and i.deleted_at is null").param("id", id).query(this::map).optional();
    }

    /** Reads and locks a live instance until the transaction ends. */
    Optional<Instance> lock(String id) {
        return jdbc.sql(SELECT + " where i.id = :id and i.deleted_at is null for update").param("id", id).query(this::map).optional();
    }

    /** Reads and locks the live ones of these instances, in id order (so two lockers never wait in a circle). */
    List<Instance> lockAll(Collection<String> ids) {
        return jdbc.sql(SELECT + " where i.id = any(:ids) and i.deleted_at is null order by i.id for update")
                .param("ids", ids.toArray(String[]::new))
                .query(this::map)
                .list();
    }

    List<Instance> list(Filter filter, PageRequest page) {
        return jdbc.sql(SELECT + """
                         where i.deleted_at is null
                           and (cast(:tenant as text) is null or i.tenant_id = :tenant)
                           and (cast(:phase as text) is null or i.phase = :phase)
                           and (cast(:name as text) is null or i.name = :name)
                           and (cast(:labels as jsonb) is null or i.labels @> cast(:labels as jsonb))
                           and (cast(:after as text) is null or i.id > :after)
                         order by i.id
                         limit :limit
                        """)
                .param("tenant", filter.tenantId())
                .param("phase", filter.phase() == null ? null : filter.phase().name())
                .param("name", filter.name())
                .param("labels", filter.labels() == null || filter.labels().isEmpty() ? null : json.writeValueAsString(filter.labels()))
                .param("after", page.after())
                .param("limit", page.fetchSize())
                .query(this::map)
                .list();
    }

    /**
     * Writes what may change of the spec: the flavor and its sizes, the generation, the power state and the
     * reboot count. Call after {@link #lock}.
     */
    void updateSpec(String id, InstanceSpec spec, Instant now) {
        jdbc.sql("""
                        update instance set flavor_id = :flavor, vcpus = :vcpus, memory_mib = :memoryMib, root_disk_gib = :rootDiskGib,
                                            generation = :generation, power_state = :powerState, reboot_count = :rebootCount, updated_at = :now
                         where id = :id
                        """)
                .param("id", id)
                .param("flavor", spec.flavorId())
                .param("vcpus", spec.vcpus())
                .param("memoryMib", spec.memoryMib())
                .param("rootDiskGib", spec.rootDiskGib())
                .param("generation", spec.generation())
                .param("powerState", spec.powerState().wireName())
                .param("rebootCount", spec.rebootCount())
                .param("now", utc(now))
                .update();
    }

    /** Writes the status. Call after {@link #lock} or {@link #lockAll}: the row lock is the version check. */
    void updateStatus(String id, InstanceStatus status, Instant now) {
        jdbc.sql("""
                        update instance set phase = :phase, host_id = :host, observed_generation = :observedGeneration,
                                            conditions = cast(:conditions as jsonb), updated_at = :now
                         where id = :id
                        """)
                .param("id", id)
                .param("phase", status.phase().name())
                .param("host", status.hostId())
                .param("observedGeneration", status.observedGeneration())
                .param("conditions", json.writeValueAsString(status.conditions()))
                .param("now", utc(now))
                .update();
    }

    /** Marks the instance removed: hidden from now on, its name, flavor and group free. Call after {@link #lock}. */
    void markDeleted(String id, Instant now) {
        jdbc.sql("update instance set deleted_at = :now, updated_at = :now where id = :id").param("id", id).param("now", utc(now)).update();
    }

    /**
     * Live instances not settled, by id, for the sweep: waiting for a host, for their host's first answer,
     * for their host to remove them, or with a spec their host has not yet confirmed.
     */
    List<String> unsettledIds() {
        return jdbc.sql("""
                        select id from instance
                         where deleted_at is null
                           and (phase in ('PENDING', 'SCHEDULED', 'PROVISIONING', 'DELETING')
                                or (host_id is not null and observed_generation < generation and phase <> 'FAILED')
                                or (host_id is not null
                                    and exists (select 1 from host h where h.id = instance.host_id and h.state = 'UNREACHABLE')
                                        <> (conditions @> '[{"type": "HostReachable", "status": "False"}]')))
                         order by id
                        """).query(String.class).list();
    }

    /** The live instances placed on the host. */
    List<String> liveIdsOnHost(String hostId) {
        return jdbc.sql("select id from instance where host_id = :host and deleted_at is null order by id")
                .param("host", hostId).query(String.class).list();
    }

    /** The names of these instances, live or deleted, by id; an id no instance ever had is absent. */
    Map<String, String> names(Collection<String> ids) {
        Map<String, String> names = new HashMap<>();
        jdbc.sql("select id, name from instance where id = any(cast(:ids as text[]))").param("ids", ids.toArray(String[]::new))
                .query(rs -> {
                    names.put(rs.getString("id"), rs.getString("name"));
                });
        return names;
    }

    /** Who an instance, live or deleted, belongs to and where it was placed; empty when there never was one. */
    Optional<Placement> placement(String id) {
        return jdbc.sql("select tenant_id, host_id from instance where id = :id").param("id", id)
                .query((rs, n) -> new Placement(rs.getString("tenant_id"), rs.getString("host_id"))).optional();
    }

    record Placement(String tenantId, String hostId) {
    }

    /**
     * Records what the instance's host observed, unless it already has a later observation: later means after a
     * later command (a higher applied seq), or after the same one at a later time.
     */
    void observe(String id, String hostId, GuestObservation.ObservedPower power, long appliedSeq, Instant observedAt) {
        jdbc.sql("""
                        update instance set observed_power = :power, observed_applied_seq = :seq, observed_at = :at
                         where id = :id and host_id = :host and deleted_at is null
                           and (observed_applied_seq is null or (observed_applied_seq, observed_at) <= (:seq, :at))
                        """)
                .param("id", id).param("host", hostId).param("power", power.name().toLowerCase(Locale.ROOT))
                .param("seq", appliedSeq).param("at", utc(observedAt))
                .update();
    }

    /** The host's latest observation of the guest, if it reported one. */
    Optional<GuestObservation> observation(String id) {
        return jdbc.sql("select observed_power, observed_applied_seq from instance where id = :id and observed_power is not null")
                .param("id", id)
                .query((rs, n) -> new GuestObservation(GuestObservation.ObservedPower.valueOf(rs.getString("observed_power")
                        .toUpperCase(Locale.ROOT)), rs.getLong("observed_applied_seq")))
                .optional();
    }

    /** Why the host is not heard from, when it is UNREACHABLE. */
    Optional<String> hostUnreachable(String hostId) {
        return jdbc.sql("select last_heartbeat_at from host where id = :host and state = 'UNREACHABLE'")
                .param("host", hostId)
                .query((rs, n) -> {
                    Instant last = instant(rs, "last_heartbeat_at");
                    return "host " + hostId + " is UNREACHABLE" + (last == null ? "" : " (last heartbeat " + last + ")")
                            + "; the guest's state is unknown until it is heard from again";
                })
                .optional();
    }

    long liveUsingFlavor(String flavorId) {
        return jdbc.sql("select count(*) from instance where flavor_id = :flavor and deleted_at is null")
                .param("flavor", flavorId).query(Long.class).single();
    }

    /**
     * Live instances whose image_ref is the image's id. image_ref is free text (V8); a reference written
     * before instances resolve images to ids simply matches no image.
     */
    long liveUsingImage(String imageId) {
        return jdbc.sql("select count(*) from instance where image_ref = :image and deleted_at is null")
                .param("image", imageId).query(Long.class).single();
    }

    long liveInGroup(String groupId) {
        return jdbc.sql("select count(*) from instance where placement_group_id = :group and deleted_at is null")
                .param("group", groupId).query(Long.class).single();
    }

    private Instance map(ResultSet rs, int row) throws SQLException {
        InstanceSpec spec = new InstanceSpec(rs.getString("flavor_id"), rs.getInt("vcpus"), rs.getLong("memory_mib"), rs.getLong("root_disk_gib"),
                rs.getString("image_ref"), json.readValue(rs.getString("ssh_keys"), KEYS), rs.getString("user_data"),
                rs.getString("placement_group_id"), rs.getLong("generation"), PowerState.fromWireName(rs.getString("power_state")),
                rs.getLong("reboot_count"));
        InstanceStatus status = new InstanceStatus(InstancePhase.valueOf(rs.getString("phase")), rs.getString("host_id"),
                rs.getLong("observed_generation"), json.readValue(rs.getString("conditions"), CONDITIONS));
        return new Instance(rs.getString("id"), rs.getString("tenant_id"), rs.getString("name"), json.readValue(rs.getString("labels"), LABELS),
                spec, status, instant(rs, "created_at"), instant(rs, "updated_at"),
                instant(rs, "deleted_at"));
    }

    /** The tenant's live instances' sizes and wanted power state, by id. */
    List<BilledInstances.LiveShape> liveShapes(String tenantId) {
        return jdbc.sql("""
                        select id, vcpus, memory_mib, root_disk_gib, power_state from instance
                         where tenant_id = :tenant and deleted_at is null
                         order by id
                        """)
                .param("tenant", tenantId)
                .query((rs, n) -> new BilledInstances.LiveShape(rs.getString("id"), rs.getInt("vcpus"), rs.getLong("memory_mib"),
                        rs.getLong("root_disk_gib"), PowerState.fromWireName(rs.getString("power_state"))))
                .list();
    }
}
