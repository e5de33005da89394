package io.freehold.testroutes;

import io.freehold.controlplane.platform.web.ApiProblem;
import io.freehold.controlplane.platform.web.ProblemType;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Routes that exist only in tests, outside {@code /api/v1} and outside component scanning, to prove
 * what the request pipeline guarantees for any handler: a handler that writes and then fails leaves
 * nothing behind.
 */
@Import(TestOnlyRoutes.Routes.class)
public class TestOnlyRoutes {

    static final String TABLE = "test_only_write";

    @RestController
    static class Routes {

        private final JdbcClient jdbc;

        Routes(JdbcClient jdbc) {
            this.jdbc = jdbc;
            jdbc.sql("create table if not exists " + TABLE + " (marker text primary key)").update();
        }

        /** Writes a row, then answers with the given status: a 2xx must keep it, anything else must not. */
        @PostMapping("/api/test/write-then-answer/{marker}/{status}")
        String writeThenAnswer(@PathVariable String marker, @PathVariable int status) {
            jdbc.sql("insert into " + TABLE + " (marker) values (:marker)").param("marker", marker).update();
            return switch (status) {
                case 200 -> "{}";
                case 422 -> throw ApiProblem.invalid("marker", "refused after writing");
                case 409 -> throw ApiProblem.conflict("refused after writing");
                default -> throw new IllegalStateException("a bug after writing");
            };
        }
    }
}
