package io.freehold.controlplane.metering;

import java.util.UUID;

import io.freehold.controlplane.testing.ApiTest;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * Base of metering tests on real PostgreSQL that record facts as a host's agent reports them ({@link AgentFacts}), for
 * a tenant of the test's own, and read what metering made of them with SQL.
 */
abstract class MeteringTest extends ApiTest {

    @Autowired
    protected LifecycleLog log;
    @Autowired
    protected JdbcClient jdbc;
    @Autowired
    protected PlatformTransactionManager transactions;

    protected final String tenant = "t-" + UUID.randomUUID();
    protected AgentFacts agent;

    @BeforeEach
    void agent() {
        agent = new AgentFacts(log, transactions);
    }
}
