package io.freehold.controlplane.metering;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.freehold.controlplane.platform.queue.WorkQueue;
import io.freehold.controlplane.platform.web.Page;
import io.freehold.controlplane.platform.web.PageRequest;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Where lifecycle facts and guest counters enter metering, in the caller's transaction: the fact is recorded
 * exactly when what observed or decided it commits, and with it the instance is queued for a rollup recompute
 * ({@link UsageRecomputePass}, work-queue kind {@value UsageRecomputePass#QUEUE_KIND}), so the recompute is due
 * exactly when the fact is visible, and its summary row ({@link UsageResourceStore}, what the sweep reads) is
 * updated.
 *
 * <p>Lock order: the enqueue may wait for a recompute pass that holds the instance's queue row; that pass locks
 * nothing but its queue rows, the instances' rollup advisory locks and their rollup rows — never a summary row —
 * none of which a caller recording a fact holds, so the wait always ends.
 */
@Component
public class LifecycleLog {

    private final LifecycleEventStore events;
    private final UsageResourceStore resources;
    private final LifecycleRepeatStore repeats;
    private final GuestCounterStore counters;
    private final WorkQueue queue;
    private final UsageMetrics metrics;

    LifecycleLog(LifecycleEventStore events, UsageResourceStore resources, LifecycleRepeatStore repeats, GuestCounterStore counters,
                 WorkQueue queue, UsageMetrics metrics) {
        this.events = events;
        this.resources = resources;
        this.repeats = repeats;
        this.counters = counters;
        this.queue = queue;
        this.metrics = metrics;
    }

    /**
     * A fact a host's agent observed, keyed by (host, agent incarnation, report seq): the same report delivered
     * again — after a lost acknowledgement, or resent by the agent's next incarnation — is recorded once; the
     * repeat is only counted, for the reconciliation report to show that it was ignored.
     *
     * @return false when it had been recorded before
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public boolean observed(String hostId, String incarnationId, long reportSeq, Instant agentTime, Duration clockOffset,
                            LifecycleFact fact, Instant now) {
        boolean recorded = events.appendObserved(hostId, incarnationId, reportSeq, agentTime, clockOffset, fact, now);
        if (recorded) {
            onNewFact(fact, now);
        } else {
            repeats.count(hostId, incarnationId, reportSeq, fact.instanceId(), now);
        }
        metrics.observed(fact.event(), recorded);
        return recorded;
    }

    /**
     * The API deleted an instance: billing stops now, whenever its host removes the guest. The host's own
     * {@code deleted} fact follows; metering counts the earlier of the two.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public void deletedByApi(LifecycleFact fact, Instant now) {
        boolean recorded = events.appendDeletedByApi(fact, now);
        if (recorded) {
            onNewFact(fact, now);
        }
        metrics.deletedByApi(recorded);
    }

    /** A new fact queues its instance and updates its summary; queue row first, as {@link WorkQueue} asks. */
    private void onNewFact(LifecycleFact fact, Instant now) {
        queue.enqueue(UsageRecomputePass.QUEUE_KIND, fact.instanceId(), now);
        resources.record(fact, now);
    }

    /** The instance's facts, oldest recorded first; the caller has checked that its caller may see the instance. */
    @Transactional(readOnly = true)
    public Page<LifecycleEventView> history(String instanceId, PageRequest page) {
        return Page.of(events.forInstance(instanceId, page), page, LifecycleEventView::id);
    }

    /** Recognises the cursor ids of {@link #history}. */
    public static boolean isEventId(String id) {
        return id.matches("[1-9][0-9]{0,17}");
    }

    /**
     * A heartbeat's running-seconds counters, each the latest of its guest and host; a reading below the one before
     * is a counter that restarted (its agent lost its ledger), whose earlier seconds are carried, not lost.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public void counters(List<GuestCounterReading> readings, Instant now) {
        counters.record(readings, now);
    }
}
