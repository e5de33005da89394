package io.freehold.archfixture.rogue;

import org.springframework.jdbc.core.simple.JdbcClient;

/** Breaks the SQL rule on purpose: a controller that runs SQL. */
public class RogueController {

    private final JdbcClient jdbc;

    public RogueController(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public int count() {
        return jdbc.sql("select 1").query(Integer.class).single();
    }
}
