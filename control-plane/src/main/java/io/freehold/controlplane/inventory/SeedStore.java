package io.freehold.controlplane.inventory;

import static io.freehold.controlplane.platform.db.SqlTime.utc;

import java.time.Instant;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Inventory's one-time facts, claimed at most once across all replicas and restarts. */
@Repository
class SeedStore {

    private final JdbcClient jdbc;

    SeedStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** @return true for the one caller, ever, that records the fact first */
    boolean claim(String name, Instant now) {
        return jdbc.sql("insert into inventory_seed (name, created_at) values (:name, :now) on conflict (name) do nothing")
                .param("name", name)
                .param("now", utc(now))
                .update() == 1;
    }
}
