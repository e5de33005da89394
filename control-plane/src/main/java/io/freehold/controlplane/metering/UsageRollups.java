package io.freehold.controlplane.metering;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import io.freehold.controlplane.metering.decision.HourlyUsage;
import io.freehold.controlplane.metering.decision.UsageIntegrator;
import io.freehold.controlplane.platform.FaultPoints;

import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Keeps an instance's hourly usage rows equal to what its lifecycle log integrates to (ARCHITECTURE §3.6).
 * Level-based: each call re-reads the whole log and writes only the differences, so running it again, or after a
 * crash, changes nothing; a late fact changes exactly the open hours whose quantity it changes.
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
     * @param hoursWritten open hours inserted or changed
     * @param adjustments  late differences recorded on closed hours
     */
    public record Recomputed(int hoursWritten, int adjustments) {
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
        Instant until = FactTime.wholeSeconds(asOf);
        store.lock(instanceId);
        UsageRollupStore.InstanceLog log = store.facts(instanceId);
        if (log.tenantId() == null) {
            return new Recomputed(0, 0);
        }
        Map<Hour, Long> computed = new LinkedHashMap<>();
        HourlyUsage.of(log.tenantId(), instanceId, UsageIntegrator.integrate(log.facts(), until))
                .forEach((bucket, quantity) -> computed.put(new Hour(bucket.storedMeter(), bucket.hour()), quantity));
        Map<Hour, UsageRollupStore.StoredHour> stored = new LinkedHashMap<>();
        for (UsageRollupStore.StoredHour hour : store.hours(instanceId, until)) {
            stored.put(new Hour(hour.meter(), hour.hour()), hour);
            // A row the log no longer supports (a late stop, a late resize moving seconds to another flavor) is zero now.
            computed.putIfAbsent(new Hour(hour.meter(), hour.hour()), 0L);
        }

        Instant now = clock.instant();
        int written = 0;
        int adjustments = 0;
        for (Map.Entry<Hour, Long> entry : computed.entrySet()) {
            Hour hour = entry.getKey();
            long quantity = entry.getValue();
            UsageRollupStore.StoredHour before = stored.get(hour);
            if (before != null && before.closed()) {
                long delta = quantity - before.quantity() - before.adjusted();
                if (delta != 0) {
                    store.adjust(log.tenantId(), instanceId, hour.meter(), hour.start(), delta, now,
                            "recomputed " + quantity + " after the hour was closed at " + before.quantity()
                                    + (before.adjusted() == 0 ? "" : " and adjusted by " + before.adjusted()));
                    adjustments++;
                }
            } else if ((before == null ? quantity != 0 : before.quantity() != quantity)
                    && store.upsert(log.tenantId(), instanceId, hour.meter(), hour.start(), quantity, now)) {
                written++;
                FaultPoints.reach(FaultPoints.Point.DURING_ROLLUP);
            }
        }
        return new Recomputed(written, adjustments);
    }

    private record Hour(String meter, Instant start) {
    }
}
