package io.freehold.controlplane.metering;

import static io.freehold.controlplane.platform.db.SqlTime.instant;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.freehold.controlplane.metering.decision.MeteredFact;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * What the reconciliation report reads (V10, V13, V15): which instances it covers, and per instance its facts, its
 * hosts' counters, what its rollups bill and the repeats the log refused. Each read takes a page of instances at
 * once; every method runs in the caller's transaction.
 */
@Repository
class ReconciliationStore {

    private final JdbcClient jdbc;

    ReconciliationStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** One host's latest counter of one guest, with the seconds carried over its restarts. */
    record CounterRow(String instanceId, String hostId, long runningSeconds, long carriedSeconds, int resets, String power,
                      Instant readAt) {
    }

    /**
     * What the rollups bill for running: the {@code instance.seconds:*} hours and their adjustments.
     *
     * @param computedAt when a recompute last wrote any of the instance's rows; null when none was ever written
     */
    record Billed(long runningSeconds, Instant computedAt) {
    }

    /**
     * The instances with a running-seconds counter or a {@code started} fact, in id order, after {@code after}.
     *
     * @param tenantId   only this tenant's (by its facts); null for all
     * @param instanceId only this one; null for all
     */
    List<String> instances(String tenantId, String instanceId, String after, int limit) {
        return jdbc.sql("""
                        select candidate.instance_id
                          from (select instance_id from guest_counter
                                union
                                select instance_id from lifecycle_event where event = 'started') candidate
                         where (cast(:instance as text) is null or candidate.instance_id = :instance)
                           and (cast(:after as text) is null or candidate.instance_id > :after)
                           and (cast(:tenant as text) is null
                                or exists (select 1 from lifecycle_event e where e.instance_id = candidate.instance_id and e.tenant_id = :tenant))
                         order by candidate.instance_id
                         limit :limit
                        """)
                .param("tenant", tenantId).param("instance", instanceId).param("after", after).param("limit", limit)
                .query(String.class)
                .list();
    }

    /**
     * One instance's log as its rollups read it (repeats and all).
     *
     * @param tenantId       from its first fact
     * @param lastRecordedAt when the latest of its facts was recorded
     */
    record InstanceLog(String tenantId, List<MeteredFact> facts, Instant lastRecordedAt) {
    }

    /** The instances' logs; an instance without facts has none. */
    Map<String, InstanceLog> logs(List<String> instanceIds) {
        Map<String, String> tenants = new HashMap<>();
        Map<String, Instant> lastRecorded = new HashMap<>();
        Map<String, List<MeteredFact>> facts = new HashMap<>();
        jdbc.sql("""
                        select instance_id, tenant_id, source, host_id, incarnation_id, report_seq, event, occurred_at, vcpus, memory_mib,
                               root_disk_gib, recorded_at
                          from lifecycle_event
                         where instance_id = any(:instances)
                         order by id
                        """)
                .param("instances", instanceIds.toArray(String[]::new))
                .query(rs -> {
                    String instance = rs.getString("instance_id");
                    tenants.putIfAbsent(instance, rs.getString("tenant_id"));
                    lastRecorded.merge(instance, instant(rs, "recorded_at"), (a, b) -> a.isAfter(b) ? a : b);
                    facts.computeIfAbsent(instance, id -> new ArrayList<>()).add(UsageRollupStore.meteredFact(rs));
                });
        Map<String, InstanceLog> logs = new HashMap<>();
        facts.forEach((instance, list) -> logs.put(instance, new InstanceLog(tenants.get(instance), List.copyOf(list), lastRecorded.get(instance))));
        return logs;
    }

    /** Every host's counter of the instances. */
    List<CounterRow> counters(List<String> instanceIds) {
        return jdbc.sql("""
                        select instance_id, host_id, running_seconds, carried_seconds, resets, power, reported_at
                          from guest_counter
                         where instance_id = any(:instances)
                         order by instance_id, host_id
                        """)
                .param("instances", instanceIds.toArray(String[]::new))
                .query((rs, n) -> new CounterRow(rs.getString("instance_id"), rs.getString("host_id"), rs.getLong("running_seconds"),
                        rs.getLong("carried_seconds"), rs.getInt("resets"), rs.getString("power"), instant(rs, "reported_at")))
                .list();
    }

    /** What the rollups bill for each instance that has rows. */
    Map<String, Billed> billed(List<String> instanceIds) {
        Map<String, Billed> billed = new HashMap<>();
        jdbc.sql("""
                        select h.resource_id,
                               coalesce(sum(h.quantity) filter (where h.meter like 'instance.seconds:%'), 0)
                                 + coalesce((select sum(a.delta) from usage_adjustment a
                                              where a.tenant_id = h.tenant_id and a.resource_id = h.resource_id
                                                and a.meter like 'instance.seconds:%'), 0) as seconds,
                               max(h.computed_at) as computed_at
                          from usage_hourly h
                         where h.resource_id = any(:instances)
                         group by h.tenant_id, h.resource_id
                        """)
                .param("instances", instanceIds.toArray(String[]::new))
                .query(rs -> {
                    billed.put(rs.getString("resource_id"), new Billed(rs.getLong("seconds"), instant(rs, "computed_at")));
                });
        return billed;
    }

    /** How many deliveries of each instance's facts the log refused as repeats. */
    Map<String, Long> repeats(List<String> instanceIds) {
        Map<String, Long> repeats = new HashMap<>();
        jdbc.sql("select instance_id, sum(repeats) as repeats from lifecycle_repeat where instance_id = any(:instances) group by instance_id")
                .param("instances", instanceIds.toArray(String[]::new))
                .query(rs -> {
                    repeats.put(rs.getString("instance_id"), rs.getLong("repeats"));
                });
        return repeats;
    }
}
