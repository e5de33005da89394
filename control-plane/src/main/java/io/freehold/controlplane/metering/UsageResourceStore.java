package io.freehold.controlplane.metering;

import static io.freehold.controlplane.platform.db.SqlTime.utc;

import java.time.Instant;
import java.util.List;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The per-resource summary of the lifecycle log (V16, {@code usage_resource}): tenant, first and last fact, the
 * delete, the last recording. Kept in the transaction of every new fact, so the sweep finds unsettled resources by
 * index rather than by grouping the whole log. Rollups never read it: they integrate the log itself.
 */
@Repository
class UsageResourceStore {

    private final JdbcClient jdbc;

    UsageResourceStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Folds one new fact into its resource's summary. Commutative and idempotent (least/greatest), so facts may
     * arrive in any order; the row stays locked until the caller's transaction ends.
     */
    void record(LifecycleFact fact, Instant recordedAt) {
        jdbc.sql("""
                        insert into usage_resource (resource_id, tenant_id, first_fact_at, last_fact_at, deleted_at, last_recorded_at)
                        values (:resource, :tenant, :at, :at, case when :deleted then cast(:at as timestamptz) end, :recorded)
                        on conflict (resource_id) do update
                           set first_fact_at = least(usage_resource.first_fact_at, excluded.first_fact_at),
                               last_fact_at = greatest(usage_resource.last_fact_at, excluded.last_fact_at),
                               deleted_at = least(usage_resource.deleted_at, excluded.deleted_at),
                               last_recorded_at = greatest(usage_resource.last_recorded_at, excluded.last_recorded_at)
                        """)
                .param("resource", fact.instanceId()).param("tenant", fact.tenantId()).param("at", utc(fact.occurredAt()))
                .param("deleted", fact.event() == LifecycleEventKind.DELETED).param("recorded", utc(recordedAt))
                .update();
    }

    /**
     * Resources whose hours may still grow or change, sorted: every one not deleted, and every one with a fact
     * recorded at or after {@code recordedSince} (a recent delete, or a late fact).
     */
    List<String> unsettled(Instant recordedSince) {
        return jdbc.sql("""
                        select resource_id from usage_resource where deleted_at is null
                         union
                        select resource_id from usage_resource where last_recorded_at >= :since
                         order by 1
                        """)
                .param("since", utc(recordedSince))
                .query(String.class)
                .list();
    }
}
