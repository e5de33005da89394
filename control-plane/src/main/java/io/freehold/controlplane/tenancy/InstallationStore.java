package io.freehold.controlplane.tenancy;

import static io.freehold.controlplane.platform.db.SqlTime.utc;

import java.time.Instant;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** One-time facts about the installation, claimed at most once across all replicas and restarts. */
@Repository
class InstallationStore {

    private final JdbcClient jdbc;

    InstallationStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** @return true for the one caller, ever, that records the fact first */
    boolean claim(String name, String value, Instant now) {
        return jdbc.sql("insert into installation_fact (name, value, created_at) values (:name, :value, :now) on conflict (name) do nothing")
                .param("name", name)
                .param("value", value)
                .param("now", utc(now))
                .update() == 1;
    }
}
