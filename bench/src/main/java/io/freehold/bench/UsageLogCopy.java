package io.freehold.bench;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.function.Consumer;

import com.zaxxer.hikari.HikariDataSource;
import io.freehold.controlplane.metering.UsageRecomputePass;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Puts a {@link SyntheticUsageLog} into the control plane's database as production would have left it: COPY of the facts
 * into {@code lifecycle_event} in the order they happened and of each instance's summary into {@code usage_resource},
 * one {@code usage} key queued per instance as its facts would have queued it, then VACUUM ANALYZE and a CHECKPOINT.
 * Benchmarks do this before they time anything; COPY is what makes millions of facts take minutes, not hours.
 */
final class UsageLogCopy {

    private static final int COPY_BUFFER = 1 << 20;

    private UsageLogCopy() {
    }

    static void load(HikariDataSource dataSource, JdbcClient jdbc, SyntheticUsageLog log) throws Exception {
        try (Connection connection = dataSource.getConnection()) {
            PGConnection postgres = connection.unwrap(PGConnection.class);
            copy(postgres, "copy lifecycle_event " + SyntheticUsageLog.EVENT_COLUMNS + " from stdin", log::writeEvents);
            copy(postgres, "copy usage_resource (resource_id, tenant_id, first_fact_at, last_fact_at, deleted_at, last_recorded_at) from stdin",
                    log::writeResources);
        }
        jdbc.sql("""
                insert into work_queue (kind, key, not_before, attempts, enqueued_at)
                select :kind, resource_id, last_recorded_at, 0, last_recorded_at from usage_resource
                """).param("kind", UsageRecomputePass.QUEUE_KIND).update();
        jdbc.sql("vacuum analyze lifecycle_event, usage_resource, work_queue, usage_hourly").update();
        jdbc.sql("checkpoint").update();
    }

    private static void copy(PGConnection connection, String sql, Consumer<Consumer<String>> writer) throws Exception {
        CopyIn copy = connection.getCopyAPI().copyIn(sql);
        StringBuilder buffer = new StringBuilder(COPY_BUFFER + 4096);
        try {
            writer.accept(row -> {
                buffer.append(row);
                if (buffer.length() >= COPY_BUFFER) {
                    flush(copy, buffer);
                }
            });
            flush(copy, buffer);
            copy.endCopy();
        } finally {
            if (copy.isActive()) {
                copy.cancelCopy();
            }
        }
    }

    private static void flush(CopyIn copy, StringBuilder buffer) {
        byte[] bytes = buffer.toString().getBytes(StandardCharsets.UTF_8);
        try {
            copy.writeToCopy(bytes, 0, bytes.length);
        } catch (SQLException e) {
            throw new IllegalStateException("COPY failed", e);
        }
        buffer.setLength(0);
    }
}
