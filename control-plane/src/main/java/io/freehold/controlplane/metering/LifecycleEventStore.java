package io.freehold.controlplane.metering;

import static io.freehold.controlplane.platform.db.SqlTime.instant;
import static io.freehold.controlplane.platform.db.SqlTime.utc;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.freehold.controlplane.platform.web.PageRequest;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The lifecycle event log (V10): appends only; a fact already there is not added again. */
@Repository
class LifecycleEventStore {

    private static final String COLUMNS = """
            (instance_id, tenant_id, source, host_id, incarnation_id, report_seq, event, occurred_at, agent_time,
             clock_offset_ms, generation, vcpus, memory_mib, root_disk_gib, recorded_at)
            """;

    private final JdbcClient jdbc;

    LifecycleEventStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** @return false when the fact with this key was recorded before */
    boolean appendObserved(String hostId, String incarnationId, long reportSeq, Instant agentTime, Duration clockOffset,
                           LifecycleFact fact, Instant now) {
        return jdbc.sql("insert into lifecycle_event " + COLUMNS + """
                        values (:instance, :tenant, 'agent', :host, :incarnation, :seq, :event, :occurredAt, :agentTime,
                                :offset, :generation, :vcpus, :memory, :disk, :now)
                        on conflict (host_id, incarnation_id, report_seq) do nothing
                        """)
                .param("instance", fact.instanceId()).param("tenant", fact.tenantId())
                .param("host", hostId).param("incarnation", incarnationId).param("seq", reportSeq)
                .param("event", fact.event().wireName()).param("occurredAt", utc(fact.occurredAt()))
                .param("agentTime", utc(agentTime)).param("offset", clockOffset.toMillis())
                .param("generation", fact.generation()).param("vcpus", fact.shape().vcpus())
                .param("memory", fact.shape().memoryMib()).param("disk", fact.shape().rootDiskGib())
                .param("now", utc(now))
                .update() == 1;
    }

    /** @return false when the API had recorded this instance's delete before */
    boolean appendDeletedByApi(LifecycleFact fact, Instant now) {
        return jdbc.sql("insert into lifecycle_event " + COLUMNS + """
                        values (:instance, :tenant, 'control-plane', null, null, null, 'deleted', :occurredAt, null,
                                null, :generation, :vcpus, :memory, :disk, :now)
                        on conflict (instance_id) where source = 'control-plane' and event = 'deleted' do nothing
                        """)
                .param("instance", fact.instanceId()).param("tenant", fact.tenantId())
                .param("occurredAt", utc(fact.occurredAt())).param("generation", fact.generation())
                .param("vcpus", fact.shape().vcpus()).param("memory", fact.shape().memoryMib())
                .param("disk", fact.shape().rootDiskGib()).param("now", utc(now))
                .update() == 1;
    }

    /** The instance's facts in the order they were recorded, one page of them. */
    List<LifecycleEventView> forInstance(String instanceId, PageRequest page) {
        return jdbc.sql("""
                        select id, event, source, occurred_at, host_id, generation, vcpus, memory_mib, root_disk_gib, recorded_at
                          from lifecycle_event
                         where instance_id = :instance and (cast(:after as bigint) is null or id > cast(:after as bigint))
                         order by id
                         limit :limit
                        """)
                .param("instance", instanceId).param("after", page.after()).param("limit", page.fetchSize())
                .query((rs, n) -> new LifecycleEventView(Long.toString(rs.getLong("id")), rs.getString("event"), rs.getString("source"),
                        instant(rs, "occurred_at"), rs.getString("host_id"), rs.getLong("generation"), rs.getInt("vcpus"),
                        rs.getLong("memory_mib"), rs.getLong("root_disk_gib"), instant(rs, "recorded_at")))
                .list();
    }
}
