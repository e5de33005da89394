package io.freehold.controlplane.tenancy;

import static io.freehold.controlplane.platform.db.SqlTime.instant;
import static io.freehold.controlplane.platform.db.SqlTime.utc;

import java.util.List;
import java.util.Map;

import io.freehold.controlplane.platform.web.PageRequest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** The append-only audit log: rows are inserted and read, never changed. */
@Repository
class AuditStore {

    private static final TypeReference<Map<String, Object>> DETAILS = new TypeReference<>() {
    };

    private final JdbcClient jdbc;
    private final JsonMapper json;

    AuditStore(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    void append(AuditEvent event) {
        jdbc.sql("""
                        insert into audit_event (id, occurred_at, tenant_id, actor_id, actor_role, action, target, request_id, outcome, details)
                        values (:id, :occurredAt, :tenant, :actor, :role, :action, :target, :requestId, :outcome, cast(:details as jsonb))
                        """)
                .param("id", event.id())
                .param("occurredAt", utc(event.occurredAt()))
                .param("tenant", event.tenantId())
                .param("actor", event.actorId())
                .param("role", event.actorRole())
                .param("action", event.action())
                .param("target", event.target())
                .param("requestId", event.requestId())
                .param("outcome", event.outcome())
                .param("details", json.writeValueAsString(event.details()))
                .update();
    }

    List<AuditEvent> find(AuditQuery query, PageRequest page) {
        return jdbc.sql("""
                        select id, occurred_at, tenant_id, actor_id, actor_role, action, target, request_id, outcome, details::text as details
                          from audit_event
                         where (cast(:tenant as text) is null or tenant_id = :tenant)
                           and (cast(:actor as text) is null or actor_id = :actor)
                           and (cast(:action as text) is null or action = :action)
                           and (cast(:target as text) is null or target = :target)
                           and (cast(:since as timestamptz) is null or occurred_at >= :since)
                           and (cast(:until as timestamptz) is null or occurred_at < :until)
                           and (cast(:after as text) is null or id > :after)
                         order by id
                         limit :limit
                        """)
                .param("tenant", query.tenantId())
                .param("actor", query.actorId())
                .param("action", query.action())
                .param("target", query.target())
                .param("since", utc(query.since()))
                .param("until", utc(query.until()))
                .param("after", page.after())
                .param("limit", page.fetchSize())
                .query((rs, n) -> new AuditEvent(rs.getString("id"), instant(rs, "occurred_at"), rs.getString("tenant_id"),
                        rs.getString("actor_id"), rs.getString("actor_role"), rs.getString("action"), rs.getString("target"),
                        rs.getString("request_id"), rs.getString("outcome"), json.readValue(rs.getString("details"), DETAILS)))
                .list();
    }
}
