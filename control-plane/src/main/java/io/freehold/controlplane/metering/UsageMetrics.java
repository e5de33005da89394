package io.freehold.controlplane.metering;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.freehold.controlplane.platform.queue.WorkQueue;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * What metering measures about itself, at {@code /actuator/prometheus} (docs/metering.md, "Metrics").
 *
 * <p>Counters count work that committed: each is moved after the transaction that did the work commits, so a fact
 * whose transaction rolled back, or a pass killed half-way, is never counted (outside a transaction, at once). Timers
 * measure the time spent, whatever became of it. The lag gauge reads the work queue at scrape time, so every replica
 * reports the same, current figure — whether or not its own worker runs.
 */
@Component
class UsageMetrics {

    private static final String EVENTS_RECORDED = "freehold.metering.events.recorded";
    private static final String EVENTS_REPEATED = "freehold.metering.events.repeated";
    private static final String RECOMPUTE = "freehold.metering.rollup.recompute";
    private static final String PASS = "freehold.metering.rollup.pass";
    private static final String LAG = "freehold.metering.rollup.lag";
    private static final String HOURS_WRITTEN = "freehold.metering.rollup.hours.written";
    private static final String ADJUSTMENTS = "freehold.metering.rollup.adjustments";

    private static final String RECORDED_DESCRIPTION =
            "Lifecycle facts recorded in the metering log, by kind and by who observed them (agent) or decided them (control-plane)";
    private static final String REPEATED_DESCRIPTION =
            "Lifecycle facts refused because the log held them already (a redelivered report, a repeated delete)";
    private static final String AGENT = "agent";
    private static final String CONTROL_PLANE = "control-plane";

    /** Facts observed by agents, by kind; the API records only deletes. */
    private final Map<LifecycleEventKind, Counter> recordedByAgents = new EnumMap<>(LifecycleEventKind.class);
    private final Map<LifecycleEventKind, Counter> repeatedByAgents = new EnumMap<>(LifecycleEventKind.class);
    private final Counter recordedByApi;
    private final Counter repeatedByApi;
    private final Timer recomputed;
    private final Timer recomputeFailed;
    private final Timer pass;
    private final Counter hoursWritten;
    private final Counter adjustments;
    private final WorkQueue queue;
    private final Clock clock;

    UsageMetrics(MeterRegistry registry, WorkQueue queue, Clock clock) {
        this.queue = queue;
        this.clock = clock;
        for (LifecycleEventKind kind : LifecycleEventKind.values()) {
            recordedByAgents.put(kind, eventCounter(registry, EVENTS_RECORDED, RECORDED_DESCRIPTION, kind, AGENT));
            repeatedByAgents.put(kind, eventCounter(registry, EVENTS_REPEATED, REPEATED_DESCRIPTION, kind, AGENT));
        }
        recordedByApi = eventCounter(registry, EVENTS_RECORDED, RECORDED_DESCRIPTION, LifecycleEventKind.DELETED, CONTROL_PLANE);
        repeatedByApi = eventCounter(registry, EVENTS_REPEATED, REPEATED_DESCRIPTION, LifecycleEventKind.DELETED, CONTROL_PLANE);
        recomputed = recomputeTimer(registry, "recomputed");
        recomputeFailed = recomputeTimer(registry, "failed");
        pass = Timer.builder(PASS)
                .description("One pass of the rollup worker: claiming due usage keys, recomputing them and committing")
                .register(registry);
        hoursWritten = Counter.builder(HOURS_WRITTEN)
                .description("Open usage hours inserted or changed by rollup recomputes that committed")
                .register(registry);
        adjustments = Counter.builder(ADJUSTMENTS)
                .description("Late differences on closed usage hours recorded as adjustments by recomputes that committed")
                .register(registry);
        Gauge.builder(LAG, this, UsageMetrics::lagSeconds)
                .description("Seconds since the longest-waiting due usage key became due; 0 when none is due")
                .baseUnit("seconds")
                .strongReference(true)
                .register(registry);
    }

    /** An agent's fact was recorded ({@code true}) or was a repeat of one recorded before. */
    void observed(LifecycleEventKind kind, boolean recorded) {
        count((recorded ? recordedByAgents : repeatedByAgents).get(kind), 1);
    }

    /** The API's delete was recorded ({@code true}) or had been recorded before. */
    void deletedByApi(boolean recorded) {
        count(recorded ? recordedByApi : repeatedByApi, 1);
    }

    /**
     * A recompute of {@code instances} instances at once returned {@code result}; it started at {@code startedNanos}
     * ({@link System#nanoTime()}). Each instance is timed with an even share of the batch's time, so the timer still
     * counts instances and sums the time spent on them.
     */
    void recomputed(UsageRollups.Recomputed result, int instances, long startedNanos) {
        long share = (System.nanoTime() - startedNanos) / instances;
        for (int i = 0; i < instances; i++) {
            recomputed.record(share, TimeUnit.NANOSECONDS);
        }
        count(hoursWritten, result.hoursWritten());
        count(adjustments, result.adjustments());
    }

    /** One instance's recompute failed and was rolled back to its savepoint. */
    void recomputeFailed(long startedNanos) {
        recomputeFailed.record(System.nanoTime() - startedNanos, TimeUnit.NANOSECONDS);
    }

    /** Runs one pass and records how long it took, failed or not. */
    int timePass(Supplier<Integer> runPass) {
        return pass.record(runPass);
    }

    private double lagSeconds() {
        Instant now = clock.instant();
        return queue.oldestDue(UsageRecomputePass.QUEUE_KIND, now)
                .map(due -> Duration.between(due, now).toMillis() / 1000.0)
                .orElse(0.0);
    }

    private static void count(Counter counter, long amount) {
        if (amount == 0) {
            return;
        }
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            counter.increment(amount);
            return;
        }
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                counter.increment(amount);
            }
        });
    }

    private static Counter eventCounter(MeterRegistry registry, String name, String description, LifecycleEventKind kind, String source) {
        return Counter.builder(name)
                .description(description)
                .tag("event", kind.wireName())
                .tag("source", source)
                .register(registry);
    }

    private static Timer recomputeTimer(MeterRegistry registry, String outcome) {
        return Timer.builder(RECOMPUTE)
                .description("One instance's rollup recompute within a pass: recomputed (its writes commit with the pass; an instance recomputed in a batch gets an even share of the batch's time) or failed (rolled back to its savepoint, retried later)")
                .tag("outcome", outcome)
                .register(registry);
    }
}
