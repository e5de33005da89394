package io.freehold.controlplane.metering;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import io.freehold.controlplane.metering.LifecycleFact.Shape;
import io.freehold.controlplane.testing.ApiTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Base of metering tests on real PostgreSQL: facts enter through {@link LifecycleLog} as one host's agent reports
 * them, each in a transaction of its own, for a tenant, host and agent incarnation of the test's own.
 */
abstract class MeteringTest extends ApiTest {

    @Autowired
    protected LifecycleLog log;
    @Autowired
    protected JdbcClient jdbc;
    @Autowired
    protected PlatformTransactionManager transactions;

    protected final String tenant = "t-" + UUID.randomUUID();
    protected final String host = "h-" + UUID.randomUUID();
    protected final String incarnation = UUID.randomUUID().toString();

    /** Records the agent's fact with report seq {@code seq}, recorded at {@code recordedAt}. */
    protected void observed(String instance, long seq, LifecycleEventKind event, Instant at, Shape shape, Instant recordedAt) {
        new TransactionTemplate(transactions).executeWithoutResult(tx -> log.observed(host, incarnation, seq, at, Duration.ZERO,
                new LifecycleFact(instance, tenant, event, at, 1, shape), recordedAt));
    }
}
