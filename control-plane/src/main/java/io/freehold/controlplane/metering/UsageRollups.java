package io.freehold.controlplane.metering;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import io.freehold.controlplane.metering.decision.HourlyUsage;
import io.freehold.controlplane.metering.decision.HourlyUsage.MeterHour;
import io.freehold.controlplane.metering.decision.MeteredFact;
import io.freehold.controlplane.metering.decision.UsageIntegrator;
import io.freehold.controlplane.platform.FaultPoints;

import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Keeps instances' hourly usage rows equal to what their lifecycle logs integrate to (ARCHITECTURE §3.6).
 * Level-based: each call re-reads the whole log and writes only the differences, so running it again, or after a
 * crash, changes nothing; a late fact changes exactly the open hours whose quantity it changes. A batch of
 * instances is recomputed with a fixed number of statements (lock, read facts, read hours, write changed hours);
 * one instance is a batch of one.
 */
@Component
public class UsageRollups {

    private final UsageRollupStore store;
    private final Clock clock;

    UsageRollups(UsageRollupStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /**
     * What one recompute wrote.
     *
     * @param hoursWritten     open hours inserted or changed
     * @param adjustments      late differences recorded on closed hours
     * @param recomputeAgainAt instances whose log holds a fact dated after {@code asOf}, with the latest such time: their
     *                         hours are complete only once a recompute runs as of then. A host's fact can be dated a
     *                         moment ahead of the clock that records it (its clock offset carries the Hello's transit),
     *                         and a stop dated ahead would otherwise leave its last second for the next sweep.
     */
    public record Recomputed(int hoursWritten, int adjustments, Map<String, Instant> recomputeAgainAt) {

        public Recomputed {
            recomputeAgainAt = Map.copyOf(recomputeAgainAt);
        }

        public Recomputed(int hoursWritten, int adjustments) {
            this(hoursWritten, adjustments, Map.of());
        }
    }

    /**
     * Recomputes every hour of the instance that starts before {@code asOf}, as of {@code asOf} (truncated to a
     * whole second), in one transaction holding the instance's rollup lock. Open hours take the recomputed quantity
     * (an hour the log no longer supports drops to zero); a closed hour is never changed: when its recomputed
     * quantity differs from its quantity plus its adjustments so far, the difference is recorded once as an
     * adjustment. An instance without facts is done at once.
     *
     * @throws IllegalArgumentException when the log holds two different facts under one key (it cannot)
     */
    @Transactional
    public Recomputed recompute(String instanceId, Instant asOf) {
        return recomputeAll(List.of(instanceId), asOf);
    }

    /**
     * {@link #recompute} for several instances in one transaction, with the same result as recomputing each alone:
     * takes every instance's rollup lock (in a fixed order, so overlapping batches never deadlock), then reads, compares
     * and writes the whole batch at once. When it fails, nothing of the batch is written.
     *
     * @return what the whole batch wrote
     */
    @Transactional
    public Recomputed recomputeAll(Collection<String> instanceIds, Instant asOf) {
        Instant until = FactTime.wholeSeconds(asOf);
        List<String> instances = List.copyOf(new TreeSet<>(instanceIds));
        if (instances.isEmpty()) {
            return new Recomputed(0, 0);
        }
        store.lock(instances);
        Map<String, UsageRollupStore.InstanceLog> logs = store.facts(instances);
        List<String> tenants = logs.values().stream().map(UsageRollupStore.InstanceLog::tenantId).distinct().toList();
        if (!tenants.isEmpty()) {
            store.lockTenantsShared(tenants);
        }
        Map<String, Instant> closedBefore = tenants.isEmpty() ? Map.of() : store.closedBefore(tenants);
        Map<String, List<UsageRollupStore.StoredHour>> stored = logs.isEmpty() ? Map.of() : store.hours(logs.keySet(), until);
        Instant now = clock.instant();
        Writes writes = new Writes(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        int adjustments = 0;
        Map<String, Instant> again = new TreeMap<>();
        for (String instance : instances) {
            UsageRollupStore.InstanceLog log = logs.get(instance);
            if (log != null) {
                adjustments += compare(instance, log, stored.getOrDefault(instance, List.of()), until,
                        closedBefore.getOrDefault(log.tenantId(), Instant.EPOCH), now, writes);
                log.facts().stream().map(MeteredFact::occurredAt).filter(until::isBefore).max(Comparator.naturalOrder())
                        .ifPresent(latest -> again.put(instance, latest));
            }
        }
        store.insertClosedAtZero(writes.closedAtZero(), now);
        int written = store.insert(writes.added(), now) + store.upsert(writes.changed(), now);
        if (written > 0) {
            FaultPoints.reach(FaultPoints.Point.DURING_ROLLUP);
        }
        return new Recomputed(written, adjustments, again);
    }

    /**
     * The hours a recompute writes: open ones not stored yet (no one else adds rows for an instance while its lock is
     * held), stored open ones whose quantity changed, and hours of closed months found with usage but no row, stored
     * closed at zero beside their adjustment.
     */
    private record Writes(List<UsageRollupStore.HourRow> added, List<UsageRollupStore.HourRow> changed,
                          List<UsageRollupStore.HourRow> closedAtZero) {
    }

    /**
     * Compares one instance's recomputed hours with its stored ones: adds the open hours to write to {@code writes}
     * and records the adjustments of closed hours — stored ones, and those before {@code closedBefore} (the end of the
     * tenant's last closed month) that had no row when their month closed. @return how many adjustments it recorded
     */
    private int compare(String instance, UsageRollupStore.InstanceLog log, List<UsageRollupStore.StoredHour> storedHours, Instant until,
                        Instant closedBefore, Instant now, Writes writes) {
        Map<MeterHour, Long> computed = HourlyUsage.byStoredMeter(UsageIntegrator.integrate(log.facts(), until));
        int adjustments = 0;
        for (UsageRollupStore.StoredHour before : storedHours) {
            MeterHour hour = new MeterHour(before.meter(), before.hour());
            // A row the log no longer supports (a late stop, a late resize moving seconds to another flavor) is zero now.
            Long recomputed = computed.remove(hour);
            long quantity = recomputed == null ? 0 : recomputed;
            if (before.closed()) {
                long delta = quantity - before.quantity() - before.adjusted();
                if (delta != 0) {
                    store.adjust(log.tenantId(), instance, hour.storedMeter(), Instant.ofEpochSecond(hour.hour()), delta, now,
                            "recomputed " + quantity + " after the hour was closed at " + before.quantity()
                                    + (before.adjusted() == 0 ? "" : " and adjusted by " + before.adjusted()));
                    adjustments++;
                }
            } else if (before.quantity() != quantity) {
                writes.changed().add(new UsageRollupStore.HourRow(log.tenantId(), instance, hour.storedMeter(), hour.hour(), quantity));
            }
        }
        for (Map.Entry<MeterHour, Long> found : computed.entrySet()) {
            MeterHour hour = found.getKey();
            long quantity = found.getValue();
            if (quantity == 0) {
                continue;
            }
            UsageRollupStore.HourRow row = new UsageRollupStore.HourRow(log.tenantId(), instance, hour.storedMeter(), hour.hour(), quantity);
            if (hour.hour() < closedBefore.getEpochSecond()) {
                writes.closedAtZero().add(row);
                store.adjust(log.tenantId(), instance, hour.storedMeter(), Instant.ofEpochSecond(hour.hour()), quantity, now,
                        "recomputed " + quantity + " for an hour its month closed without");
                adjustments++;
            } else {
                writes.added().add(row);
            }
        }
        return adjustments;
    }
}
