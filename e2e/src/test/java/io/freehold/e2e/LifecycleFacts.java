package io.freehold.e2e;

import static org.junit.jupiter.api.Assertions.fail;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * Lifecycle facts dated hours or months in the past, which no live agent can report, written by SQL exactly as
 * {@code LifecycleLog.observed} writes them, row for row: an agent's facts keyed by (host, incarnation, report seq),
 * agent time equal to server time (clock offset 0), generation 1, recorded now, each queueing its instance on the
 * work queue (kind {@code usage}, due now) and updating its summary in {@code usage_resource} — all of one call in one
 * transaction, as one batch of the heartbeat writer records them. The running control plane's rollup worker then
 * picks the instances up, as it would after a heartbeat.
 */
final class LifecycleFacts {

    private static final String HOST = "h-01jh8n0000000000000000crsh";
    private static final String INCARNATION = "9d1c6a1e-crash-test";

    private LifecycleFacts() {
    }

    /**
     * One fact as the lifecycle log stores it; sizes as the agent observed them.
     *
     * @param seq the agent's report seq: unique within a test's database, as one agent incarnation numbers its reports
     */
    record Fact(String instance, long seq, String event, String at, int vcpus, long memoryMib, long diskGib) {
    }

    /** The tenant's facts, their work-queue keys and their summary, in one transaction. */
    static void record(PostgresDatabase database, String tenant, List<Fact> facts) throws SQLException {
        Timestamp now = Timestamp.from(Instant.now().truncatedTo(ChronoUnit.MILLIS));
        try (Connection connection = DriverManager.getConnection(database.jdbcUrl(), database.user(), null);
             PreparedStatement fact = connection.prepareStatement("""
                     insert into lifecycle_event (instance_id, tenant_id, source, host_id, incarnation_id, report_seq, event, occurred_at,
                                                  agent_time, clock_offset_ms, generation, vcpus, memory_mib, root_disk_gib, recorded_at)
                     values (?, ?, 'agent', ?, ?, ?, ?, ?, ?, 0, 1, ?, ?, ?, ?)
                     on conflict (host_id, incarnation_id, report_seq) do nothing""");
             PreparedStatement key = connection.prepareStatement("""
                     insert into work_queue (kind, key, not_before, attempts, enqueued_at) values ('usage', ?, ?, 0, ?)
                     on conflict (kind, key) do update set not_before = least(work_queue.not_before, excluded.not_before)""");
             PreparedStatement summary = connection.prepareStatement("""
                     insert into usage_resource (resource_id, tenant_id, first_fact_at, last_fact_at, deleted_at, last_recorded_at)
                     values (?, ?, ?, ?, case when ? = 'deleted' then cast(? as timestamptz) end, ?)
                     on conflict (resource_id) do update
                        set first_fact_at = least(usage_resource.first_fact_at, excluded.first_fact_at),
                            last_fact_at = greatest(usage_resource.last_fact_at, excluded.last_fact_at),
                            deleted_at = least(usage_resource.deleted_at, excluded.deleted_at),
                            last_recorded_at = greatest(usage_resource.last_recorded_at, excluded.last_recorded_at)""")) {
            connection.setAutoCommit(false);
            for (Fact each : facts) {
                Timestamp at = Timestamp.from(Instant.parse(each.at()));
                fact.setString(1, each.instance());
                fact.setString(2, tenant);
                fact.setString(3, HOST);
                fact.setString(4, INCARNATION);
                fact.setLong(5, each.seq());
                fact.setString(6, each.event());
                fact.setTimestamp(7, at);
                fact.setTimestamp(8, at);
                fact.setInt(9, each.vcpus());
                fact.setLong(10, each.memoryMib());
                fact.setLong(11, each.diskGib());
                fact.setTimestamp(12, now);
                if (fact.executeUpdate() != 1) {
                    fail("fact " + each + " was in the log already");
                }
                key.setString(1, each.instance());
                key.setTimestamp(2, now);
                key.setTimestamp(3, now);
                key.executeUpdate();
                summary.setString(1, each.instance());
                summary.setString(2, tenant);
                summary.setTimestamp(3, at);
                summary.setTimestamp(4, at);
                summary.setString(5, each.event());
                summary.setTimestamp(6, at);
                summary.setTimestamp(7, now);
                summary.executeUpdate();
            }
            connection.commit();
        }
    }
}
