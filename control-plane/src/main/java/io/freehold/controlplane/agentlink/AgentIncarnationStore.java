package io.freehold.controlplane.agentlink;

import static io.freehold.controlplane.platform.db.SqlTime.utc;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Each agent process's clock offset (V10), kept after it ended so its late reports can still be corrected. */
@Repository
class AgentIncarnationStore {

    private final JdbcClient jdbc;

    AgentIncarnationStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** The offset measured at this incarnation's latest Hello replaces the earlier one: clocks drift. */
    void recordHello(String hostId, String incarnationId, Duration clockOffset, Instant now) {
        jdbc.sql("""
                        insert into agent_incarnation (host_id, incarnation_id, clock_offset_ms, first_hello_at, last_hello_at)
                        values (:host, :incarnation, :offset, :now, :now)
                        on conflict (host_id, incarnation_id) do update
                           set clock_offset_ms = excluded.clock_offset_ms, last_hello_at = excluded.last_hello_at
                        """)
                .param("host", hostId).param("incarnation", incarnationId).param("offset", clockOffset.toMillis())
                .param("now", utc(now))
                .update();
    }

    Optional<Duration> clockOffset(String hostId, String incarnationId) {
        return jdbc.sql("select clock_offset_ms from agent_incarnation where host_id = :host and incarnation_id = :incarnation")
                .param("host", hostId).param("incarnation", incarnationId)
                .query(Long.class).optional().map(Duration::ofMillis);
    }
}
