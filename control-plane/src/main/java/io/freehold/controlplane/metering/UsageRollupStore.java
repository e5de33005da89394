package io.freehold.controlplane.metering;

import static io.freehold.controlplane.platform.db.SqlTime.instant;
import static io.freehold.controlplane.platform.db.SqlTime.utc;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.freehold.controlplane.metering.LifecycleFact.Shape;
import io.freehold.controlplane.metering.decision.MeteredFact;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Hourly usage rollups and their adjustments (V13, V16), and the lifecycle log read the way the rollups need it —
 * for a batch of instances at once: one statement each to lock, to read the facts, to read the stored hours, to
 * insert the new hours and to update the changed ones, whatever the batch's size. Every method runs in the caller's transaction.
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

    /**
     * Holds, until the transaction ends, a shared lock on each of these tenants' closing: month close takes it
     * exclusively ({@link UsageLedgerStore#close}), so it never closes a month while a recompute of one of the
     * tenant's instances is midway — whether or not close knew of that instance — and a recompute that starts after
     * reads the new end of the tenant's closed months. Taken after the instances' locks, in key order, as close does.
     */
    void lockTenantsShared(Collection<String> tenantIds) {
        jdbc.sql("""
                        select count(pg_advisory_xact_lock_shared(hashtext('usage_closing'), ordered.lock_key))
                          from (select distinct hashtext(t.tenant) as lock_key
                                  from unnest(cast(:tenants as text[])) as t(tenant)
                                 order by 1) ordered
                        """)
                .param("tenants", tenantIds.toArray(String[]::new)).query(Long.class).single();
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
                    facts.computeIfAbsent(instance, i -> new ArrayList<>()).add(meteredFact(rs));
                });
        Map<String, InstanceLog> logs = new HashMap<>();
        facts.forEach((instance, list) -> logs.put(instance, new InstanceLog(tenants.get(instance), list)));
        return logs;
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
     * Inserts hours that the caller, holding the instances' locks, found not stored, in one statement.
     *
     * @return how many rows were inserted
     */
    int insert(List<HourRow> rows, Instant now) {
        return rows.isEmpty() ? 0 : write(rows, now, "");
    }

    /**
     * Writes open hours' quantities in one statement. A closed hour (billing may close one at any moment), or one
     * already holding its quantity, is left as it is.
     *
     * @return how many rows were inserted or changed
     */
    int upsert(List<HourRow> rows, Instant now) {
        return rows.isEmpty() ? 0 : write(rows, now, """
                on conflict (tenant_id, resource_id, meter, hour) do update
                   set quantity = excluded.quantity, computed_at = excluded.computed_at
                 where not usage_hourly.closed and usage_hourly.quantity is distinct from excluded.quantity
                """);
    }

    /**
     * One insert of all the rows. Tenant, resource and meter names repeat from row to row, so each is sent once, and
     * rows name them by their place in those lists: far less for the server to parse than a text per row.
     */
    private int write(List<HourRow> rows, Instant now, String onConflict) {
        Map<String, Integer> owners = new LinkedHashMap<>();
        Map<String, Integer> meterNames = new LinkedHashMap<>();
        List<String> tenants = new ArrayList<>();
        int size = rows.size();
        int[] owner = new int[size];
        int[] meter = new int[size];
        long[] hours = new long[size];
        long[] quantities = new long[size];
        for (int i = 0; i < size; i++) {
            HourRow row = rows.get(i);
            owner[i] = owners.computeIfAbsent(row.resourceId(), r -> {
                tenants.add(row.tenantId());
                return tenants.size();
            });
            meter[i] = meterNames.computeIfAbsent(row.meter(), m -> meterNames.size() + 1);
            hours[i] = row.hour();
            quantities[i] = row.quantity();
        }
        return jdbc.sql("""
                        insert into usage_hourly (tenant_id, resource_id, meter, hour, quantity, computed_at)
                        select o.tenant_id, o.resource_id, m.meter, to_timestamp(r.hour), r.quantity, :now
                          from unnest(cast(:owner as int[]), cast(:meter as int[]), cast(:hours as bigint[]), cast(:quantities as bigint[]))
                               as r(owner, meter, hour, quantity)
                          join unnest(cast(:tenants as text[]), cast(:resources as text[])) with ordinality as o(tenant_id, resource_id, n)
                            on o.n = r.owner
                          join unnest(cast(:meters as text[])) with ordinality as m(meter, n) on m.n = r.meter
                        """ + onConflict)
                .param("owner", owner).param("meter", meter).param("hours", hours).param("quantities", quantities)
                .param("tenants", tenants.toArray(String[]::new)).param("resources", owners.keySet().toArray(String[]::new))
                .param("meters", meterNames.keySet().toArray(String[]::new)).param("now", utc(now))
                .update();
    }

    /** Up to where each of these tenants' hours are closed (V18 {@code usage_closed}); a tenant never closed is absent. */
    Map<String, Instant> closedBefore(Collection<String> tenantIds) {
        Map<String, Instant> closed = new HashMap<>();
        jdbc.sql("select tenant_id, closed_before from usage_closed where tenant_id = any(cast(:tenants as text[]))")
                .param("tenants", tenantIds.toArray(String[]::new))
                .query(rs -> {
                    closed.put(rs.getString("tenant_id"), instant(rs, "closed_before"));
                });
        return closed;
    }

    /**
     * Stores hours of closed months that had no row when their month closed, closed at zero: the invoice billed them
     * as zero, and their usage is the caller's adjustment.
     */
    void insertClosedAtZero(List<HourRow> rows, Instant now) {
        for (HourRow row : rows) {
            jdbc.sql("""
                            insert into usage_hourly (tenant_id, resource_id, meter, hour, quantity, computed_at, closed, closed_at)
                            values (:tenant, :resource, :meter, to_timestamp(:hour), 0, :now, true, :now)
                            """)
                    .param("tenant", row.tenantId()).param("resource", row.resourceId()).param("meter", row.meter()).param("hour", row.hour())
                    .param("now", utc(now)).update();
        }
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
