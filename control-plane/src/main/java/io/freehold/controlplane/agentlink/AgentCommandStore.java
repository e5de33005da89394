package io.freehold.controlplane.agentlink;

import static io.freehold.controlplane.platform.db.SqlTime.utc;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The agent command log's rows: numbering per host, superseding, delivery bookkeeping and results. */
@Repository
class AgentCommandStore {

    /** The newest command for a target on a host that was not superseded. */
    record Latest(String type, long generation, String state, String failureCode, String failureReason, long seq) {
    }

    /** A command waiting for its result, as delivered: the encoded {@code Command} message. */
    record Pending(String id, String hostId, long seq, byte[] command) {
    }

    private final JdbcClient jdbc;

    AgentCommandStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** The host's next sequence number; the row lock it takes orders concurrent enqueues for one host. */
    long nextSeq(String hostId) {
        return jdbc.sql("""
                        insert into agent_command_seq (host_id, last_seq) values (:host, 1)
                        on conflict (host_id) do update set last_seq = agent_command_seq.last_seq + 1
                        returning last_seq
                        """)
                .param("host", hostId).query(Long.class).single();
    }

    /** Ends the target's commands still pending on the host: the newer command says everything they said. */
    int supersede(String hostId, String target, Instant now) {
        return jdbc.sql("""
                        update agent_command set state = 'superseded', completed_at = :now
                         where host_id = :host and target = :target and state = 'pending'
                        """)
                .param("host", hostId).param("target", target).param("now", utc(now)).update();
    }

    void insert(String id, String hostId, long seq, String target, long generation, String type, byte[] command, Instant now) {
        jdbc.sql("""
                        insert into agent_command (id, host_id, seq, target, target_generation, type, payload, state, created_at)
                        values (:id, :host, :seq, :target, :generation, :type, :payload, 'pending', :now)
                        """)
                .param("id", id).param("host", hostId).param("seq", seq).param("target", target).param("generation", generation)
                .param("type", type).param("payload", command).param("now", utc(now))
                .update();
    }

    /** Pending commands of these hosts never delivered, or delivered before {@code redeliverBefore}, in seq order per host. */
    List<Pending> deliverable(Collection<String> hostIds, Instant redeliverBefore, int limit) {
        return jdbc.sql("""
                        select id, host_id, seq, payload from agent_command
                         where state = 'pending' and host_id = any(:hosts) and (delivered_at is null or delivered_at < :before)
                         order by host_id, seq limit :limit
                        """)
                .param("hosts", hostIds.toArray(String[]::new)).param("before", utc(redeliverBefore)).param("limit", limit)
                .query((rs, n) -> new Pending(rs.getString("id"), rs.getString("host_id"), rs.getLong("seq"), rs.getBytes("payload")))
                .list();
    }

    void delivered(Collection<String> ids, Instant now) {
        jdbc.sql("update agent_command set delivered_at = :now, deliveries = deliveries + 1 where id = any(:ids)")
                .param("ids", ids.toArray(String[]::new)).param("now", utc(now)).update();
    }

    /** Makes the host's pending commands due now, for a stream that just opened. */
    void due(String hostId) {
        jdbc.sql("update agent_command set delivered_at = null where host_id = :host and state = 'pending' and delivered_at is not null")
                .param("host", hostId).update();
    }

    /**
     * Records the agent's answer to a pending command of this host.
     *
     * @return the command's target; empty when there is no such pending command: answered before, superseded, or not this host's
     */
    Optional<String> complete(String hostId, long seq, String commandId, boolean succeeded, String failureCode, String failureReason,
                              Instant now) {
        return jdbc.sql("""
                        update agent_command set state = :state, completed_at = :now, failure_code = :code, failure_reason = :reason
                         where host_id = :host and seq = :seq and id = :id and state = 'pending'
                        returning target
                        """)
                .param("state", succeeded ? "succeeded" : "failed").param("now", utc(now))
                .param("code", succeeded ? null : failureCode.isBlank() ? "UNKNOWN" : failureCode)
                .param("reason", succeeded ? null : failureReason)
                .param("host", hostId).param("seq", seq).param("id", commandId)
                .query(String.class).optional();
    }

    Optional<Latest> latest(String hostId, String target) {
        return jdbc.sql("""
                        select seq, type, target_generation, state, failure_code, failure_reason from agent_command
                         where host_id = :host and target = :target and state <> 'superseded'
                         order by seq desc limit 1
                        """)
                .param("host", hostId).param("target", target)
                .query((rs, n) -> new Latest(rs.getString("type"), rs.getLong("target_generation"), rs.getString("state"),
                        rs.getString("failure_code"), rs.getString("failure_reason"), rs.getLong("seq")))
                .optional();
    }
}
