package io.freehold.controlplane.scheduling;

import static io.freehold.controlplane.platform.db.SqlTime.instant;
import static io.freehold.controlplane.platform.db.SqlTime.utc;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.freehold.controlplane.inventory.decision.Capacity.Resources;
import io.freehold.controlplane.tenancy.QuotaUsed;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
class AllocationStore {

    private final JdbcClient jdbc;

    AllocationStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Inserts in one statement. @return the consumers inserted: those not already holding an allocation */
    List<String> insertAll(List<Allocation> batch) {
        return jdbc.sql("""
                        insert into allocation (consumer_ref, tenant_id, host_id, group_id, vcpus, memory_mib, disk_gib, created_at)
                        select * from unnest(:consumers, :tenants, :hosts, :groups, :vcpus, :memory, :disk, cast(:createdAt as timestamptz[]))
                        on conflict (consumer_ref) do nothing
                        returning consumer_ref
                        """)
                .param("consumers", batch.stream().map(Allocation::consumerRef).toArray(String[]::new))
                .param("tenants", batch.stream().map(Allocation::tenantId).toArray(String[]::new))
                .param("hosts", batch.stream().map(Allocation::hostId).toArray(String[]::new))
                .param("groups", batch.stream().map(Allocation::groupId).toArray(String[]::new))
                .param("vcpus", batch.stream().mapToInt(a -> (int) a.resources().vcpus()).toArray())
                .param("memory", batch.stream().mapToLong(a -> a.resources().memoryMib()).toArray())
                .param("disk", batch.stream().mapToLong(a -> a.resources().diskGib()).toArray())
                .param("createdAt", batch.stream().map(a -> a.createdAt().toString()).toArray(String[]::new))
                .query(String.class)
                .list();
    }

    Map<String, Allocation> findAll(Collection<String> consumerRefs) {
        Map<String, Allocation> found = new HashMap<>();
        jdbc.sql("select * from allocation where consumer_ref = any(:consumers)").param("consumers", consumerRefs.toArray(String[]::new))
                .query(AllocationStore::map).list().forEach(allocation -> found.put(allocation.consumerRef(), allocation));
        return found;
    }

    /** Reads and locks the consumer's allocation until the transaction ends. */
    Optional<Allocation> lock(String consumerRef) {
        return jdbc.sql("select * from allocation where consumer_ref = :consumer for update").param("consumer", consumerRef)
                .query(AllocationStore::map).optional();
    }

    /** Changes what the consumer holds, on the same host. Call after {@link #lock}. */
    void resize(String consumerRef, Resources resources) {
        jdbc.sql("update allocation set vcpus = :vcpus, memory_mib = :memory, disk_gib = :disk where consumer_ref = :consumer")
                .param("consumer", consumerRef)
                .param("vcpus", (int) resources.vcpus())
                .param("memory", resources.memoryMib())
                .param("disk", resources.diskGib())
                .update();
    }

    /** @return the deleted allocation, or empty when the consumer held none */
    Optional<Allocation> delete(String consumerRef) {
        return jdbc.sql("delete from allocation where consumer_ref = :consumer returning *").param("consumer", consumerRef)
                .query(AllocationStore::map).optional();
    }

    /** Every allocation on these hosts, largest memory first, so that a re-placement tries the hardest guests first. */
    List<Allocation> onHosts(Collection<String> hostIds) {
        return jdbc.sql("select * from allocation where host_id = any(:hosts) order by memory_mib desc, vcpus desc, consumer_ref")
                .param("hosts", hostIds.toArray(String[]::new))
                .query(AllocationStore::map)
                .list();
    }

    Map<String, Resources> allocatedByHost() {
        return sums("select host_id, sum(vcpus) as vcpus, sum(memory_mib) as memory_mib, sum(disk_gib) as disk_gib "
                + "from allocation group by host_id", Map.of());
    }

    Map<String, Resources> allocatedOn(Collection<String> hostIds) {
        return sums("select host_id, sum(vcpus) as vcpus, sum(memory_mib) as memory_mib, sum(disk_gib) as disk_gib "
                + "from allocation where host_id = any(:hosts) group by host_id", Map.of("hosts", hostIds.toArray(String[]::new)));
    }

    int countOn(String hostId) {
        return jdbc.sql("select count(*) from allocation where host_id = :host").param("host", hostId).query(Integer.class).single();
    }

    /** {@link #usedBy(String)} for several tenants; a tenant holding nothing maps to {@link QuotaUsed#NONE}. */
    Map<String, QuotaUsed> usedBy(Collection<String> tenantIds) {
        Map<String, QuotaUsed> used = new HashMap<>();
        tenantIds.forEach(id -> used.put(id, QuotaUsed.NONE));
        jdbc.sql("""
                        select tenant_id, sum(vcpus) as vcpus, sum(memory_mib) as memory_mib, sum(disk_gib) as disk_gib,
                               count(*) filter (where consumer_ref like 'instance:%') as instances
                          from allocation where tenant_id = any(:tenants) group by tenant_id
                        """)
                .param("tenants", tenantIds.toArray(String[]::new))
                .query(rs -> {
                    used.put(rs.getString("tenant_id"), new QuotaUsed(rs.getInt("vcpus"), rs.getLong("memory_mib"), rs.getLong("disk_gib"),
                            rs.getInt("instances")));
                });
        return used;
    }

    QuotaUsed usedBy(String tenantId) {
        return jdbc.sql("""
                        select coalesce(sum(vcpus), 0) as vcpus, coalesce(sum(memory_mib), 0) as memory_mib,
                               coalesce(sum(disk_gib), 0) as disk_gib, count(*) filter (where consumer_ref like 'instance:%') as instances
                          from allocation where tenant_id = :tenant
                        """)
                .param("tenant", tenantId)
                .query((rs, n) -> new QuotaUsed(rs.getInt("vcpus"), rs.getLong("memory_mib"), rs.getLong("disk_gib"), rs.getInt("instances")))
                .single();
    }

    /** The hosts, and their racks' ids through the host, that hold members of a group. */
    List<String> groupHosts(String groupId) {
        return jdbc.sql("select distinct host_id from allocation where group_id = :group order by host_id")
                .param("group", groupId).query(String.class).list();
    }

    private Map<String, Resources> sums(String sql, Map<String, Object> params) {
        Map<String, Resources> sums = new HashMap<>();
        jdbc.sql(sql).params(params).query(rs -> {
            sums.put(rs.getString("host_id"), new Resources(rs.getLong("vcpus"), rs.getLong("memory_mib"), rs.getLong("disk_gib")));
        });
        return sums;
    }

    private static Allocation map(ResultSet rs, int row) throws SQLException {
        return new Allocation(rs.getString("consumer_ref"), rs.getString("tenant_id"), rs.getString("host_id"), rs.getString("group_id"),
                new Resources(rs.getLong("vcpus"), rs.getLong("memory_mib"), rs.getLong("disk_gib")), instant(rs, "created_at"));
    }
}
