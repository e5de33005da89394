package io.freehold.controlplane.metering;

import java.time.Clock;
import java.time.Instant;
import java.util.List;

import io.freehold.controlplane.platform.queue.WorkQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * One pass of the rollup worker: claims a batch of due {@value #QUEUE_KIND} keys (instance ids, queued by
 * {@link LifecycleLog} with every fact and by {@link UsageSweep}), recomputes each instance's hours as of now
 * — the whole batch at once ({@link UsageRollups#recomputeAll}) — and completes its keys, in one transaction, so a
 * pass that dies changes nothing and its keys are due again at once. The batch runs under a savepoint: when it
 * fails, each instance is recomputed alone under a savepoint of its own, so an instance whose recompute fails is
 * rolled back alone and retried later with the queue's backoff, and the others of the batch still commit. Any
 * number of replicas run passes at once: claims skip each other's keys, and the per-instance rollup lock keeps an
 * on-demand recompute from interleaving. An instance whose log holds a fact dated after the pass's now is queued
 * again, due at that fact's second, so the seconds up to it are counted as soon as they have passed.
 */
@Component
public class UsageRecomputePass {

    /** The work-queue kind whose keys are instance ids whose rollups are to be recomputed. */
    public static final String QUEUE_KIND = "usage";

    private static final Logger log = LoggerFactory.getLogger(UsageRecomputePass.class);

    private final WorkQueue queue;
    private final UsageRollups rollups;
    private final TransactionTemplate savepoint;
    private final Clock clock;
    private final int batchSize;
    private final UsageMetrics metrics;

    UsageRecomputePass(WorkQueue queue, UsageRollups rollups, PlatformTransactionManager transactions, Clock clock,
                       MeteringProperties properties, UsageMetrics metrics) {
        this.queue = queue;
        this.rollups = rollups;
        this.savepoint = new TransactionTemplate(transactions);
        this.savepoint.setPropagationBehavior(TransactionDefinition.PROPAGATION_NESTED);
        this.clock = clock;
        this.batchSize = properties.recompute().batchSize();
        this.metrics = metrics;
    }

    /** Runs one pass. @return how many keys it claimed; as many as the batch size means more may be due */
    @Transactional
    public int runOnce() {
        Instant now = clock.instant();
        List<WorkQueue.Item> claimed = queue.claim(QUEUE_KIND, batchSize, now);
        if (claimed.isEmpty()) {
            return 0;
        }
        long started = System.nanoTime();
        try {
            UsageRollups.Recomputed batch = savepoint.execute(
                    tx -> rollups.recomputeAll(claimed.stream().map(WorkQueue.Item::key).toList(), now));
            metrics.recomputed(batch, claimed.size(), started);
            queue.completeAll(QUEUE_KIND, claimed);
            queueAgain(batch);
        } catch (RuntimeException batchFailed) {
            // Find the instance(s) that failed: one by one, so the others still commit.
            claimed.forEach(item -> recomputeAlone(item, now));
        }
        return claimed.size();
    }

    private void recomputeAlone(WorkQueue.Item item, Instant now) {
        long started = System.nanoTime();
        try {
            UsageRollups.Recomputed result = savepoint.execute(tx -> rollups.recompute(item.key(), now));
            metrics.recomputed(result, 1, started);
            queue.complete(item);
            queueAgain(result);
        } catch (RuntimeException e) {
            metrics.recomputeFailed(started);
            Instant due = queue.retryLater(item, now);
            log.warn("usage recompute of {} failed (attempt {}), again at {}: {}", item.key(), item.attempts() + 1, due, e.toString());
        }
    }

    /** Instances with a fact dated after this pass's now are due again at that fact's second. */
    private void queueAgain(UsageRollups.Recomputed result) {
        result.recomputeAgainAt().forEach((instance, at) -> queue.enqueue(QUEUE_KIND, instance, at));
    }

    /** The batch size, so a driver knows a full batch when it sees one. */
    int batchSize() {
        return batchSize;
    }
}
