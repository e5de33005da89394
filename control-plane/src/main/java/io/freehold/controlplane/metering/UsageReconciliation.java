package io.freehold.controlplane.metering;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import io.freehold.controlplane.inventory.InventoryProperties;
import io.freehold.controlplane.metering.decision.MeteredFact;
import io.freehold.controlplane.metering.decision.Reconciliation;
import io.freehold.controlplane.metering.decision.ReconciliationCause;
import io.freehold.controlplane.metering.decision.ReconciliationVerdict;
import io.freehold.controlplane.metering.decision.RunningSecondsComparison;
import io.freehold.controlplane.platform.web.Page;
import io.freehold.controlplane.platform.web.PageRequest;

import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * The reconciliation report: per instance, billed running seconds against the lifecycle log and its hosts' own
 * running-seconds counters, with the likely cause of any difference ({@link Reconciliation}). Read-only; reads one
 * consistent snapshot per page.
 */
@Component
public class UsageReconciliation {

    private final ReconciliationStore store;
    private final Clock clock;
    private final Duration staleAfter;

    UsageReconciliation(ReconciliationStore store, Clock clock, InventoryProperties inventory) {
        this.store = store;
        this.clock = clock;
        // A host heartbeats every interval; one silent for longer than this is UNREACHABLE, and so is its counter.
        this.staleAfter = inventory.silenceLimit();
    }

    /**
     * One page of the report, in instance id order.
     *
     * @param tenantId        only this tenant's instances; null for all
     * @param instanceId      only this instance; null for all
     * @param onlyDifferences only instances whose likely cause is not {@code NONE}
     */
    @Transactional(readOnly = true)
    public Page<InstanceReconciliation> report(String tenantId, String instanceId, boolean onlyDifferences, PageRequest page) {
        Instant now = clock.instant();
        List<InstanceReconciliation> found = new ArrayList<>();
        String after = page.after();
        // Causes are judged here, not in SQL, so a filtered page reads batches until it is full or the list ends.
        while (found.size() < page.fetchSize()) {
            List<String> batch = store.instances(tenantId, instanceId, after, page.fetchSize());
            for (InstanceReconciliation line : reconcile(batch, now)) {
                if (!onlyDifferences || line.likelyCause() != ReconciliationCause.NONE) {
                    found.add(line);
                }
            }
            if (batch.size() < page.fetchSize()) {
                break;
            }
            after = batch.get(batch.size() - 1);
        }
        return Page.of(found.subList(0, Math.min(found.size(), page.fetchSize())), page, InstanceReconciliation::instanceId);
    }

    private List<InstanceReconciliation> reconcile(List<String> instanceIds, Instant now) {
        if (instanceIds.isEmpty()) {
            return List.of();
        }
        Map<String, ReconciliationStore.InstanceLog> logs = store.logs(instanceIds);
        Map<String, List<ReconciliationStore.CounterRow>> counters = store.counters(instanceIds).stream()
                .collect(Collectors.groupingBy(ReconciliationStore.CounterRow::instanceId));
        Map<String, ReconciliationStore.Billed> billed = store.billed(instanceIds);
        Map<String, Long> repeats = store.repeats(instanceIds);
        return instanceIds.stream().map(id -> line(id, logs.get(id), counters.getOrDefault(id, List.of()),
                billed.getOrDefault(id, new ReconciliationStore.Billed(0, null)), repeats.getOrDefault(id, 0L), now)).toList();
    }

    private InstanceReconciliation line(String instanceId, ReconciliationStore.InstanceLog log, List<ReconciliationStore.CounterRow> counters,
                                        ReconciliationStore.Billed billed, long repeats, Instant now) {
        List<MeteredFact> facts = log == null ? List.of() : log.facts();
        Instant readAt = counters.stream().map(ReconciliationStore.CounterRow::readAt).max(Instant::compareTo).orElse(null);
        Long agent = counters.isEmpty() ? null
                : counters.stream().mapToLong(counter -> counter.runningSeconds() + counter.carriedSeconds()).sum();
        long resets = counters.stream().mapToLong(ReconciliationStore.CounterRow::resets).sum();
        // Like with like: the log as of the instant the counter was read, not as of now.
        Instant loggedAsOf = FactTime.wholeSeconds(readAt == null ? now : readAt);
        Reconciliation.LoggedRunning logged = Reconciliation.loggedRunning(facts, loggedAsOf);
        long rollupBehind = Reconciliation.rollupBehind(facts, billed.runningSeconds(), billed.computedAt(),
                log == null ? null : log.lastRecordedAt(), loggedAsOf);
        boolean deleted = facts.stream().anyMatch(fact -> fact.event() == LifecycleEventKind.DELETED);
        RunningSecondsComparison comparison = new RunningSecondsComparison(logged.seconds(), logged.intervals(), agent,
                readAt == null ? null : age(readAt, now), deleted, rollupBehind, repeats,
                resets, staleAfter);
        ReconciliationVerdict verdict = Reconciliation.judge(comparison);
        return new InstanceReconciliation(instanceId, log == null ? null : log.tenantId(), readAt, logged.seconds(), agent,
                comparison.difference(), verdict.tolerance(), billed.runningSeconds(), billed.computedAt(), comparison.rollupBehindSeconds(),
                repeats, resets, verdict.cause(), verdict.explanation(), counters.stream()
                .map(counter -> new InstanceReconciliation.HostCounter(counter.hostId(), counter.runningSeconds() + counter.carriedSeconds(),
                        counter.resets(), counter.power(), counter.readAt()))
                .toList());
    }

    /** A reading stamped by another replica's clock may lie a little ahead of this one's: it is fresh, not negative. */
    private static Duration age(Instant readAt, Instant now) {
        Duration age = Duration.between(readAt, now);
        return age.isNegative() ? Duration.ZERO : age;
    }
}
