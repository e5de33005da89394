package io.freehold.controlplane.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import io.freehold.controlplane.FreeholdApplication;
import io.freehold.testroutes.TestOnlyRoutes;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Base of tests that drive the real control plane over HTTP: one application per test JVM (Spring's
 * context cache shares it between classes) on a random port, with its own embedded PostgreSQL under a
 * fresh data directory. Tests share that database, so each creates its own tenants and users with
 * unique names ({@link Fixtures}) and never assumes an empty table. {@link TestOnlyRoutes} adds a few
 * routes outside {@code /api/v1} that exercise the request pipeline itself.
 */
@SpringBootTest(classes = {FreeholdApplication.class, TestOnlyRoutes.class}, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
public abstract class ApiTest {

    private static final Path HOME = createHome();

    @LocalServerPort
    private int port;

    protected ApiClient api;
    protected Fixtures fixtures;

    @DynamicPropertySource
    static void freeholdHome(DynamicPropertyRegistry registry) {
        registry.add("freehold.home", HOME::toString);
        registry.add("server.address", () -> "127.0.0.1");
        // The real agent endpoint on a free loopback port, with heartbeats short enough for liveness tests.
        registry.add("freehold.agentlink.port", () -> "0");
        registry.add("freehold.agentlink.bind-address", () -> "127.0.0.1");
        registry.add("freehold.inventory.heartbeat-interval", () -> "1s");
        registry.add("freehold.inventory.missed-heartbeats", () -> "3");
        // Tests start their own agents; a developer's FREEHOLD_AGENT_JAR must not add one.
        registry.add("freehold.local-agent.enabled", () -> "false");
        // Tests share one database: a background pass would place one test's instances on another test's
        // hosts. Tests that need scheduling run SchedulingPass themselves.
        registry.add("freehold.compute.scheduling.enabled", () -> "false");
        // Likewise metering: other tests' facts lie months back, and recomputing them as of now would write
        // thousands of hours behind their assertions. Tests that need it run UsageRecomputePass themselves.
        registry.add("freehold.metering.recompute.enabled", () -> "false");
        // And month close: the job would close other tests' past months between their draft and their own close.
        // Tests close months themselves (POST /api/v1/ops/billing/month-close); the cron names a year no test sees.
        registry.add("freehold.billing.month-close.cron", () -> "0 0 0 1 1 ? 2099");
    }

    @BeforeEach
    void connect() {
        api = new ApiClient("http://127.0.0.1:" + port);
        fixtures = new Fixtures(api, adminToken());
    }

    protected static String adminToken() {
        try {
            return Files.readString(HOME.resolve("admin.token")).strip();
        } catch (IOException e) {
            throw new IllegalStateException("the bootstrap admin token was not written", e);
        }
    }

    protected static Path home() {
        return HOME;
    }

    private static Path createHome() {
        try {
            return Files.createTempDirectory("freehold-test-");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
