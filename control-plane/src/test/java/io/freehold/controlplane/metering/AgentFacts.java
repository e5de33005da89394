package io.freehold.controlplane.metering;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import io.freehold.controlplane.metering.LifecycleFact.Shape;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Lifecycle facts entering metering the way a host's reports do ({@link LifecycleLog}): one agent incarnation of a
 * host of its own, each fact in a transaction of its own, agent time equal to server time.
 */
final class AgentFacts {

    private final LifecycleLog log;
    private final TransactionTemplate transaction;
    private final String host = "h-" + UUID.randomUUID();
    private final String incarnation = UUID.randomUUID().toString();

    AgentFacts(LifecycleLog log, PlatformTransactionManager transactions) {
        this.log = log;
        this.transaction = new TransactionTemplate(transactions);
    }

    /** Reports {@code event} as report {@code seq}; the same seq again is a redelivery. @return whether it was recorded */
    boolean report(long seq, String instance, String tenant, LifecycleEventKind event, Instant at, Shape shape, Instant recordedAt) {
        return Boolean.TRUE.equals(transaction.execute(tx -> log.observed(host, incarnation, seq, at, Duration.ZERO,
                new LifecycleFact(instance, tenant, event, at, 1, shape), recordedAt)));
    }

    /** As {@link #report}, in a transaction that then rolls back. */
    void reportRolledBack(long seq, String instance, String tenant, LifecycleEventKind event, Instant at, Shape shape, Instant recordedAt) {
        transaction.executeWithoutResult(tx -> {
            log.observed(host, incarnation, seq, at, Duration.ZERO, new LifecycleFact(instance, tenant, event, at, 1, shape), recordedAt);
            tx.setRollbackOnly();
        });
    }

    /** The API deletes the instance. */
    void deleteByApi(String instance, String tenant, Instant at, Shape shape, Instant recordedAt) {
        transaction.executeWithoutResult(tx -> log.deletedByApi(new LifecycleFact(instance, tenant, LifecycleEventKind.DELETED, at, 1, shape),
                recordedAt));
    }
}
