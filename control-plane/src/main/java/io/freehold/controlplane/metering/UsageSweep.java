package io.freehold.controlplane.metering;

import java.time.Clock;
import java.time.Instant;
import java.util.List;

import io.freehold.controlplane.platform.queue.WorkQueue;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Makes the open hours of running instances grow, and is the safety net for a key that went missing: queues, for
 * {@link UsageRecomputePass}, every instance whose hours are not all settled — every instance with facts that is
 * not deleted (running, or stopped with a disk that still counts), and every deleted one with a fact recorded
 * within {@code freehold.metering.sweep.settled} (its delete, or a late fact) — read from the per-resource summary
 * ({@link UsageResourceStore}) by index, never from the whole log. Keys already queued keep their time
 * and backoff ({@link WorkQueue#enqueueMissing}). Idempotent: running it twice, or on two replicas, queues each key
 * once; the recompute re-derives everything from the log, so a sweep that never ran is caught up by the next.
 */
@Component
public class UsageSweep {

    private static final int CHUNK = 1000;

    private final UsageResourceStore resources;
    private final WorkQueue queue;
    private final Clock clock;
    private final MeteringProperties.Sweep settings;

    UsageSweep(UsageResourceStore resources, WorkQueue queue, Clock clock, MeteringProperties properties) {
        this.resources = resources;
        this.queue = queue;
        this.clock = clock;
        this.settings = properties.sweep();
    }

    /** Queues every unsettled instance as of now. @return how many keys were added (not queued before) */
    @Transactional
    public int enqueueUnsettled() {
        Instant now = clock.instant();
        List<String> instances = resources.unsettled(now.minus(settings.settled()));
        int added = 0;
        // Chunks keep each statement's array small; the keys are sorted, so two sweeps lock rows in one order.
        for (int from = 0; from < instances.size(); from += CHUNK) {
            added += queue.enqueueMissing(UsageRecomputePass.QUEUE_KIND, instances.subList(from, Math.min(instances.size(), from + CHUNK)), now);
        }
        return added;
    }
}
