package io.freehold.controlplane.billing;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.freehold.controlplane.metering.LifecycleEventKind;
import io.freehold.controlplane.metering.LifecycleFact;
import io.freehold.controlplane.metering.LifecycleLog;
import io.freehold.controlplane.metering.UsageRollups;
import io.freehold.controlplane.platform.db.SqlTime;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Usage and prices in months that are over, which is what month close bills. Facts enter through {@link LifecycleLog}
 * as a host's reports do (one agent incarnation of its own), dated in the past and recorded now; the rollups are then
 * recomputed. Price-list versions are written by SQL, exactly as the API stores them, because the API (rightly)
 * takes no version for an hour that has begun.
 */
final class PastUsage {

    private final LifecycleLog log;
    private final UsageRollups rollups;
    private final JdbcClient jdbc;
    private final TransactionTemplate transaction;
    private final String host = "h-" + UUID.randomUUID();
    private final String incarnation = UUID.randomUUID().toString();
    private long seq;

    PastUsage(LifecycleLog log, UsageRollups rollups, JdbcClient jdbc, TransactionTemplate transaction) {
        this.log = log;
        this.rollups = rollups;
        this.jdbc = jdbc;
        this.transaction = transaction;
    }

    /** The instance ran from {@code start} to {@code stop} with this shape (provisioned at its start). */
    void ran(String tenantId, String instanceId, LifecycleFact.Shape shape, Instant start, Instant stop) {
        report(tenantId, instanceId, LifecycleEventKind.PROVISIONED, shape, start);
        report(tenantId, instanceId, LifecycleEventKind.STARTED, shape, start);
        report(tenantId, instanceId, LifecycleEventKind.STOPPED, shape, stop);
    }

    /** It ran again, from {@code start} to {@code stop}: facts that can arrive late, after its month was closed. */
    void ranAgain(String tenantId, String instanceId, LifecycleFact.Shape shape, Instant start, Instant stop) {
        report(tenantId, instanceId, LifecycleEventKind.STARTED, shape, start);
        report(tenantId, instanceId, LifecycleEventKind.STOPPED, shape, stop);
    }

    /** Recomputes the instances' rollups as of now. */
    void settle(List<String> instanceIds) {
        rollups.recomputeAll(instanceIds, Instant.now());
    }

    /** A version of {@code priceListId} in force from {@code effectiveFrom}, with these prices and tax rate. */
    void version(String priceListId, int version, Instant effectiveFrom, String taxRate, Map<String, String> unitPrices) {
        transaction.executeWithoutResult(tx -> {
            jdbc.sql("""
                            insert into price_list_version (price_list_id, version, effective_from, tax_rate, created_at)
                            values (:list, :version, :from, :tax, now())
                            """)
                    .param("list", priceListId).param("version", version).param("from", SqlTime.utc(effectiveFrom))
                    .param("tax", new BigDecimal(taxRate)).update();
            unitPrices.forEach((meter, price) -> jdbc.sql("""
                            insert into price_list_unit_price (price_list_id, version, meter, unit_price)
                            values (:list, :version, :meter, :price)
                            """)
                    .param("list", priceListId).param("version", version).param("meter", meter).param("price", new BigDecimal(price)).update());
        });
    }

    private void report(String tenantId, String instanceId, LifecycleEventKind event, LifecycleFact.Shape shape, Instant at) {
        long reportSeq = ++seq;
        transaction.executeWithoutResult(tx -> log.observed(host, incarnation, reportSeq, at, Duration.ZERO,
                new LifecycleFact(instanceId, tenantId, event, at, 1, shape), Instant.now()));
    }
}
