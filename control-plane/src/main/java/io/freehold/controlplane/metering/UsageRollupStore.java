package io.freehold.controlplane.metering;

import static io.freehold.controlplane.platform.db.SqlTime.instant;
import static io.freehold.controlplane.platform.db.SqlTime.utc;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.freehold.controlplane.metering.LifecycleFact.Shape;
import io.freehold.controlplane.metering.decision.MeteredFact;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Hourly usage rollups and their adjustments (V13), and the lifecycle log read the way the rollups need it. Every
 * method runs in the caller's transaction.
 */
@Repository
class UsageRollupStore {

    private final JdbcClient jdbc;

    UsageRollupStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** One instance's log: its tenant (null when it has no facts yet) and every fact, repeats included. */
    record InstanceLog(String tenantId, List<MeteredFact> facts) {
    }

    /**
     * A stored hour as recomputing it needs it.
     *
     * @param adjusted the sum of the adjustments recorded for it since it was closed
     */
    record StoredHour(String meter, Instant hour, long quantity, boolean closed, long adjusted) {
    }

    /**
     * Holds, until the transaction ends, the lock on one instance's rollups: two replicas (or the job and an
     * on-demand recompute) never interleave their reads and writes for one instance.
     */
    void lock(String instanceId) {
        jdbc.sql("select 1 from (select pg_advisory_xact_lock(hashtext('usage_rollup'), hashtext(:instance))) locked")
                .param("instance", instanceId).query(Integer.class).single();
    }

    InstanceLog facts(String instanceId) {
        List<String> tenants = new ArrayList<>();
        List<MeteredFact> facts = jdbc.sql("""
                        select tenant_id, source, host_id, incarnation_id, report_seq, event, occurred_at, vcpus, memory_mib, root_disk_gib
                          from lifecycle_event
                         where instance_id = :instance
                         order by id
                        """)
                .param("instance", instanceId)
                .query((rs, n) -> {
                    if (n == 0) {
                        tenants.add(rs.getString("tenant_id"));
                    }
                    return meteredFact(rs);
                })
                .list();
        return new InstanceLog(tenants.isEmpty() ? null : tenants.get(0), facts);
    }

    /**
     * A {@code lifecycle_event} row as the integrator reads it; the row has {@code source}, {@code host_id},
     * {@code incarnation_id}, {@code report_seq}, {@code event}, {@code occurred_at} and the sizes.
     */
    static MeteredFact meteredFact(ResultSet rs) throws SQLException {
        MeteredFact.Key key = "agent".equals(rs.getString("source"))
                ? MeteredFact.Key.observed(rs.getString("host_id"), rs.getString("incarnation_id"), rs.getLong("report_seq"))
                : MeteredFact.Key.deletedByApiKey();
        // A null size is one the observer did not say, as is zero.
        Shape shape = new Shape(rs.getInt("vcpus"), rs.getLong("memory_mib"), rs.getLong("root_disk_gib"));
        return new MeteredFact(key, LifecycleEventKind.valueOf(rs.getString("event").toUpperCase(Locale.ROOT)),
                instant(rs, "occurred_at"), shape);
    }

    /** The instance's stored hours that start before {@code before}, with the adjustments of each. */
    List<StoredHour> hours(String instanceId, Instant before) {
        return jdbc.sql("""
                        select h.meter, h.hour, h.quantity, h.closed,
                               coalesce((select sum(a.delta) from usage_adjustment a
                                          where a.tenant_id = h.tenant_id and a.resource_id = h.resource_id
                                            and a.meter = h.meter and a.hour = h.hour), 0) as adjusted
                          from usage_hourly h
                         where h.resource_id = :resource and h.hour < :before
                        """)
                .param("resource", instanceId).param("before", utc(before))
                .query((rs, n) -> new StoredHour(rs.getString("meter"), instant(rs, "hour"), rs.getLong("quantity"), rs.getBoolean("closed"),
                        rs.getLong("adjusted")))
                .list();
    }

    /**
     * Writes an open hour's quantity. A closed hour, or one already holding this quantity, is left as it is.
     *
     * @return true when a row was written
     */
    boolean upsert(String tenantId, String resourceId, String meter, Instant hour, long quantity, Instant now) {
        return jdbc.sql("""
                        insert into usage_hourly (tenant_id, resource_id, meter, hour, quantity, computed_at)
                        values (:tenant, :resource, :meter, :hour, :quantity, :now)
                        on conflict (tenant_id, resource_id, meter, hour) do update
                           set quantity = excluded.quantity, computed_at = excluded.computed_at
                         where not usage_hourly.closed and usage_hourly.quantity is distinct from excluded.quantity
                        """)
                .param("tenant", tenantId).param("resource", resourceId).param("meter", meter).param("hour", utc(hour))
                .param("quantity", quantity).param("now", utc(now))
                .update() == 1;
    }

    /** Records a late difference on a closed hour. */
    void adjust(String tenantId, String resourceId, String meter, Instant hour, long delta, Instant now, String reason) {
        jdbc.sql("""
                        insert into usage_adjustment (tenant_id, resource_id, meter, hour, delta, recorded_at, reason)
                        values (:tenant, :resource, :meter, :hour, :delta, :now, :reason)
                        """)
                .param("tenant", tenantId).param("resource", resourceId).param("meter", meter).param("hour", utc(hour))
                .param("delta", delta).param("now", utc(now)).param("reason", reason)
                .update();
    }

    /**
     * Instances whose hours may still grow or change: every instance with facts and no {@code deleted} fact, and
     * every instance with a fact recorded at or after {@code recordedSince} (a recent delete, or a late fact).
     */
    List<String> unsettledInstances(Instant recordedSince) {
        return jdbc.sql("""
                        select instance_id
                          from lifecycle_event
                         group by instance_id
                        having count(*) filter (where event = 'deleted') = 0 or max(recorded_at) >= :since
                         order by instance_id
                        """)
                .param("since", utc(recordedSince))
                .query(String.class)
                .list();
    }
}
