package io.freehold.controlplane.tenancy;

import static io.freehold.controlplane.platform.db.SqlTime.instant;
import static io.freehold.controlplane.platform.db.SqlTime.utc;

import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
class QuotaStore {

    private final JdbcClient jdbc;

    QuotaStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void upsert(String tenantId, QuotaLimits limits, Instant now) {
        jdbc.sql("""
                        insert into tenant_quota (tenant_id, vcpus, memory_mib, disk_gib, instances, updated_at)
                        values (:tenant, :vcpus, :memory, :disk, :instances, :now)
                        on conflict (tenant_id) do update
                          set vcpus = excluded.vcpus, memory_mib = excluded.memory_mib, disk_gib = excluded.disk_gib,
                              instances = excluded.instances, updated_at = excluded.updated_at
                        """)
                .param("tenant", tenantId)
                .param("vcpus", limits.vcpus())
                .param("memory", limits.memoryMib())
                .param("disk", limits.diskGib())
                .param("instances", limits.instances())
                .param("now", utc(now))
                .update();
    }

    /** Reads and locks the tenant's quota: placements of one tenant check and use it one after the other. */
    Optional<QuotaLimits> lockLimits(String tenantId) {
        return jdbc.sql("select vcpus, memory_mib, disk_gib, instances from tenant_quota where tenant_id = :tenant for update")
                .param("tenant", tenantId)
                .query((rs, n) -> new QuotaLimits(rs.getInt("vcpus"), rs.getLong("memory_mib"), rs.getLong("disk_gib"), rs.getInt("instances")))
                .optional();
    }

    /** {@link #lockLimits(String)} for several tenants at once, locked in id order so that two batches cannot deadlock. */
    Map<String, QuotaLimits> lockLimits(Collection<String> tenantIds) {
        Map<String, QuotaLimits> limits = new HashMap<>();
        jdbc.sql("""
                        select tenant_id, vcpus, memory_mib, disk_gib, instances from tenant_quota
                         where tenant_id = any(:tenants) order by tenant_id for update
                        """)
                .param("tenants", tenantIds.toArray(String[]::new))
                .query(rs -> {
                    limits.put(rs.getString("tenant_id"),
                            new QuotaLimits(rs.getInt("vcpus"), rs.getLong("memory_mib"), rs.getLong("disk_gib"), rs.getInt("instances")));
                });
        return limits;
    }

    Optional<Quota> find(String tenantId) {
        return jdbc.sql("select tenant_id, vcpus, memory_mib, disk_gib, instances, updated_at from tenant_quota where tenant_id = :tenant")
                .param("tenant", tenantId)
                .query((rs, n) -> new Quota(rs.getString("tenant_id"),
                        new QuotaLimits(rs.getInt("vcpus"), rs.getLong("memory_mib"), rs.getLong("disk_gib"), rs.getInt("instances")),
                        QuotaUsed.NONE, instant(rs, "updated_at")))
                .optional();
    }
}
