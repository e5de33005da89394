package io.freehold.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The all-in-one embedded PostgreSQL as a benchmark running inside the control plane's JVM sees it: the settings that
 * decide what a commit and a checkpoint cost (read back from the server, so a figure says what it was measured with),
 * the postmaster whose process tree is PostgreSQL's CPU, and sizes.
 */
final class EmbeddedDatabase {

    private static final List<String> SETTINGS = List.of("fsync", "synchronous_commit", "full_page_writes", "wal_sync_method", "shared_buffers",
            "max_wal_size");

    private EmbeddedDatabase() {
    }

    static Map<String, String> settings(JdbcClient jdbc) {
        Map<String, String> settings = new LinkedHashMap<>();
        for (String name : SETTINGS) {
            settings.put(name, jdbc.sql("select current_setting(:name)").param("name", name).query(String.class).single());
        }
        return settings;
    }

    /** {@code pg_size_pretty} of a size expression, e.g. {@code pg_database_size(current_database())}. */
    static String size(JdbcClient jdbc, String expression) {
        return jdbc.sql("select pg_size_pretty(" + expression + ")").query(String.class).single();
    }

    /** The embedded server's postmaster under the control plane's home. */
    static ProcessHandle postmaster(Path home) throws IOException {
        long pid = Long.parseLong(Files.readAllLines(home.resolve("postgres").resolve("postmaster.pid")).get(0).strip());
        return ProcessHandle.of(pid).orElseThrow(() -> new IllegalStateException("no postmaster " + pid));
    }
}
