package io.freehold.controlplane.agentlink;

import static io.freehold.controlplane.platform.db.SqlTime.instant;
import static io.freehold.controlplane.platform.db.SqlTime.utc;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The agent command log's rows: numbering per host, superseding, delivery bookkeeping and results, the image
 * parts each command references, and the clean-up of console reads.
 */
@Repository
class AgentCommandStore {

    /** The newest command for a target on a host that was not superseded. */
    record Latest(String type, long generation, String state, String failureCode, String failureReason, long seq) {
    }

    /** A command waiting for its result, as delivered: the encoded {@code Command} message. */
    record Pending(String id, String hostId, long seq, byte[] command) {
    }

    /** A command the agent's answer completed: what it was about. */
    record Completed(String target, String type) {
    }

    /**
     * A command as it stands now.
     *
     * @param result the answer's payload, when it had one; null otherwise
     * @param completedAt when the answer was recorded (or the command superseded or expired); null while pending
     */
    record Outcome(String type, String state, byte[] result, String failureCode, String failureReason, Instant completedAt) {
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

    /** Records the image parts (lowercase hex SHA-256s) the command references, for FetchImage's authorization. */
    void insertImages(String commandId, Collection<String> sha256s) {
        for (String sha256 : sha256s) {
            jdbc.sql("insert into agent_command_image (command_id, sha256) values (:id, :sha256) on conflict do nothing")
                    .param("id", commandId).param("sha256", sha256).update();
        }
    }

    /** Whether any command for the host, in whatever state, references the image part. */
    boolean referencesImage(String hostId, String sha256) {
        return jdbc.sql("""
                        select exists (select 1 from agent_command_image i join agent_command c on c.id = i.command_id
                                        where i.sha256 = :sha256 and c.host_id = :host)
                        """)
                .param("sha256", sha256).param("host", hostId).query(Boolean.class).single();
    }

    /**
     * Pending commands of these hosts never delivered, or delivered before {@code redeliverBefore}, in seq order per
     * host; console reads made before {@code consoleReadsAfter} are left out, since nobody waits for their answer.
     */
    List<Pending> deliverable(Collection<String> hostIds, Instant redeliverBefore, Instant consoleReadsAfter, int limit) {
        return jdbc.sql("""
                        select id, host_id, seq, payload from agent_command
                         where state = 'pending' and host_id = any(:hosts) and (delivered_at is null or delivered_at < :before)
                           and (type <> 'ReadConsole' or created_at >= :consoleAfter)
                         order by host_id, seq limit :limit
                        """)
                .param("hosts", hostIds.toArray(String[]::new)).param("before", utc(redeliverBefore))
                .param("consoleAfter", utc(consoleReadsAfter)).param("limit", limit)
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
     * Records the agent's answer to a pending command of this host, with the answer's payload if it had one.
     *
     * @return what the command was about; empty when there is no such pending command: answered before, superseded,
     *         expired, or not this host's
     */
    Optional<Completed> complete(String hostId, long seq, String commandId, boolean succeeded, String failureCode, String failureReason,
                                 byte[] result, Instant now) {
        return jdbc.sql("""
                        update agent_command set state = :state, completed_at = :now, failure_code = :code, failure_reason = :reason,
                                                 result = :result
                         where host_id = :host and seq = :seq and id = :id and state = 'pending'
                        returning target, type
                        """)
                .param("state", succeeded ? "succeeded" : "failed").param("now", utc(now))
                .param("code", succeeded ? null : failureCode.isBlank() ? "UNKNOWN" : failureCode)
                .param("reason", succeeded ? null : failureReason)
                .param("result", succeeded ? result : null)
                .param("host", hostId).param("seq", seq).param("id", commandId)
                .query((rs, n) -> new Completed(rs.getString("target"), rs.getString("type"))).optional();
    }

    Optional<Outcome> outcome(String commandId) {
        return jdbc.sql("select type, state, result, failure_code, failure_reason, completed_at from agent_command where id = :id")
                .param("id", commandId)
                .query((rs, n) -> new Outcome(rs.getString("type"), rs.getString("state"), rs.getBytes("result"), rs.getString("failure_code"),
                        rs.getString("failure_reason"), instant(rs, "completed_at")))
                .optional();
    }

    /** Ends console reads still pending that were made before {@code before}: failed, so that nobody sends them again. */
    int expireConsoleReads(Instant before, Instant now) {
        return jdbc.sql("""
                        update agent_command set state = 'failed', completed_at = :now, failure_code = 'EXPIRED',
                                                 failure_reason = 'the host did not answer in time'
                         where type = 'ReadConsole' and state = 'pending' and created_at < :before
                        """)
                .param("before", utc(before)).param("now", utc(now)).update();
    }

    /** Forgets console reads made before {@code before}, whatever became of them: their answers were for one REST call. */
    int deleteConsoleReads(Instant before) {
        return jdbc.sql("delete from agent_command where type = 'ReadConsole' and created_at < :before")
                .param("before", utc(before)).update();
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
