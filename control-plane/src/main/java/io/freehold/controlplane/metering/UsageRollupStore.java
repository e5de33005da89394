package io.freehold.controlplane.metering;

import static io.freehold.controlplane.platform.db.SqlTime.instant;
import static io.freehold.controlplane.platform.db.SqlTime.utc;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.freehold.controlplane.metering.LifecycleFact.Shape;
import io.freehold.controlplane.metering.decision.MeteredFact;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Hourly usage rollups and their adjustments (V13, V16), and the lifecycle log read the way the rollups need it —
 * for a batch of instances at once: one statement each to lock, to read the facts, to read the stored hours and to
 * write the changed hours, whatever the batch's size. Every method runs in the caller's transaction.
 */
@Repository
class UsageRollupStore {

    private final JdbcClient jdbc;

    UsageRollupStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** One instance's log: its tenant (that of its first fact) and every fact, repeats included. */
    record InstanceLog(String tenantId, List<MeteredFact> facts) {
    }

    /**
     * A stored hour as recomputing it needs it.
     *
     * @param hour     the hour's first second, epoch seconds
     * @param adjusted the sum of the adjustments recorded for it since it was closed (0 while open)
     */
    record StoredHour(String meter, long hour, long quantity, boolean closed, long adjusted) {
    }

    /** An open hour to write. @param hour the hour's first second, epoch seconds */
    record HourRow(String tenantId, String resourceId, String meter, long hour, long quantity) {
    }

    /**
     * Holds, until the transaction ends, the locks on these instances' rollups: two replicas (or the job and an
     * on-demand recompute) never interleave their reads and writes for one instance. The locks are taken one by
     * one in the order of their lock keys, so two batches that share instances — in any order, even instances
     * whose keys collide — wait for each other instead of deadlocking.
     */
    void lock(Collection<String> instanceIds) {
        // The subquery's ORDER BY keeps it from being flattened: the aggregate takes the locks in that order.
        jdbc.sql("""
                        select count(pg_advisory_xact_lock(hashtext('usage_rollup'), ordered.lock_key))
                          from (select distinct hashtext(k.instance) as lock_key
                                  from unnest(cast(:instances as text[])) as k(instance)
                                 order by 1) ordered
                        """)
                .param("instances", instanceIds.toArray(String[]::new)).query(Long.class).single();
    }

    /** The instances' logs, by instance id; an instance without facts is absent. */
    Map<String, InstanceLog> facts(Collection<String> instanceIds) {
        Map<String, String> tenants = new HashMap<>();
        Map<String, List<MeteredFact>> facts = new HashMap<>();
        jdbc.sql("""
                        select instance_id, tenant_id, source, host_id, incarnation_id, report_seq, event, occurred_at, vcpus, memory_mib,
                               root_disk_gib
                          from lifecycle_event
                         where instance_id = any(cast(:instances as text[]))
                         order by instance_id, id
                        """)
                .param("instances", instanceIds.toArray(String[]::new))
                .query(rs -> {
                    String instance = rs.getString("instance_id");
                    tenants.putIfAbsent(instance, rs.getString("tenant_id"));
                    MeteredFact.Key key = "agent".equals(rs.getString("source"))
                            ? MeteredFact.Key.observed(rs.getString("host_id"), rs.getString("incarnation_id"), rs.getLong("report_seq"))
                            : MeteredFact.Key.deletedByApiKey();
                    // A null size is one the observer did not say, as is zero.
                    Shape shape = new Shape(rs.getInt("vcpus"), rs.getLong("memory_mib"), rs.getLong("root_disk_gib"));
                    facts.computeIfAbsent(instance, i -> new ArrayList<>()).add(new MeteredFact(key,
                            LifecycleEventKind.valueOf(rs.getString("event").toUpperCase(Locale.ROOT)), instant(rs, "occurred_at"), shape));
                });
        Map<String, InstanceLog> logs = new HashMap<>();
        facts.forEach((instance, list) -> logs.put(instance, new InstanceLog(tenants.get(instance), list)));
        return logs;
    }

    /** The instances' stored hours that start before {@code before}, by instance id, closed ones with their adjustments. */
    Map<String, List<StoredHour>> hours(Collection<String> instanceIds, Instant before) {
        Map<String, List<StoredHour>> hours = new HashMap<>();
        jdbc.sql("""
                        select h.resource_id, h.meter, cast(extract(epoch from h.hour) as bigint) as hour, h.quantity, h.closed,
                               case when h.closed
                                    then coalesce((select sum(a.delta) from usage_adjustment a
                                                    where a.tenant_id = h.tenant_id and a.resource_id = h.resource_id
                                                      and a.meter = h.meter and a.hour = h.hour), 0)
                                    else 0 end as adjusted
                          from usage_hourly h
                         where h.resource_id = any(cast(:resources as text[])) and h.hour < :before
                        """)
                .param("resources", instanceIds.toArray(String[]::new)).param("before", utc(before))
                .query(rs -> {
                    hours.computeIfAbsent(rs.getString("resource_id"), r -> new ArrayList<>()).add(new StoredHour(rs.getString("meter"),
                            rs.getLong("hour"), rs.getLong("quantity"), rs.getBoolean("closed"), rs.getLong("adjusted")));
                });
        return hours;
    }

    /**
     * Writes open hours' quantities in one statement. A closed hour, or one already holding its quantity, is left
     * as it is.
     *
     * @return how many rows were inserted or changed
     */
    int upsert(List<HourRow> rows, Instant now) {
        if (rows.isEmpty()) {
            return 0;
        }
        int size = rows.size();
        String[] tenants = new String[size];
        String[] resources = new String[size];
        String[] meters = new String[size];
        long[] hours = new long[size];
        long[] quantities = new long[size];
        for (int i = 0; i < size; i++) {
            HourRow row = rows.get(i);
            tenants[i] = row.tenantId();
            resources[i] = row.resourceId();
            meters[i] = row.meter();
            hours[i] = row.hour();
            quantities[i] = row.quantity();
        }
        return jdbc.sql("""
                        insert into usage_hourly (tenant_id, resource_id, meter, hour, quantity, computed_at)
                        select r.tenant_id, r.resource_id, r.meter, to_timestamp(r.hour), r.quantity, :now
                          from unnest(cast(:tenants as text[]), cast(:resources as text[]), cast(:meters as text[]),
                                      cast(:hours as bigint[]), cast(:quantities as bigint[])) as r(tenant_id, resource_id, meter, hour, quantity)
                        on conflict (tenant_id, resource_id, meter, hour) do update
                           set quantity = excluded.quantity, computed_at = excluded.computed_at
                         where not usage_hourly.closed and usage_hourly.quantity is distinct from excluded.quantity
                        """)
                .param("tenants", tenants).param("resources", resources).param("meters", meters).param("hours", hours)
                .param("quantities", quantities).param("now", utc(now))
                .update();
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
}
