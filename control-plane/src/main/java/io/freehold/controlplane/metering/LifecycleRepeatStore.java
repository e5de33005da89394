package io.freehold.controlplane.metering;

import static io.freehold.controlplane.platform.db.SqlTime.utc;

import java.time.Instant;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Deliveries of agents' facts that the log had already (V15), counted per fact for the reconciliation report. */
@Repository
class LifecycleRepeatStore {

    private final JdbcClient jdbc;

    LifecycleRepeatStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** One more delivery of the fact with this key was refused; one statement, in the caller's transaction. */
    void count(String hostId, String incarnationId, long reportSeq, String instanceId, Instant now) {
        jdbc.sql("""
                        insert into lifecycle_repeat (host_id, incarnation_id, report_seq, instance_id, repeats, last_at)
                        values (:host, :incarnation, :seq, :instance, 1, :now)
                        on conflict (host_id, incarnation_id, report_seq) do update
                           set repeats = lifecycle_repeat.repeats + 1, last_at = excluded.last_at
                        """)
                .param("host", hostId).param("incarnation", incarnationId).param("seq", reportSeq)
                .param("instance", instanceId).param("now", utc(now))
                .update();
    }
}
