package io.freehold.controlplane.metering;

import java.time.Instant;
import java.util.List;

import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * What billing reads and closes of metering's rollups: a tenant's hours of a period, the late differences recorded
 * during it, and — at month close — the closing of the period's hours, after which they never change (V13).
 */
@Component
public class UsageLedger {

    private final UsageLedgerStore store;

    UsageLedger(UsageLedgerStore store) {
        this.store = store;
    }

    /**
     * A stored quantity, in the meter's stored unit.
     *
     * @param storedMeter the meter's name, with the flavor for {@code instance.seconds} ({@code instance.seconds:<shape>})
     * @param hour        the hour it belongs to
     */
    public record LedgerHour(String resourceId, String storedMeter, Instant hour, long quantity) {
    }

    /** A tenant and a month it has unclosed usage in. @param periodStart the month's first instant */
    public record TenantPeriod(String tenantId, Instant periodStart) {
    }

    /** The tenant's hours in [from, to) with a quantity other than zero, open or closed. */
    @Transactional(readOnly = true)
    public List<LedgerHour> hours(String tenantId, Instant from, Instant to) {
        return store.hours(tenantId, from, to);
    }

    /** The late differences recorded for the tenant in [from, to), each dated by the closed hour it belongs to. */
    @Transactional(readOnly = true)
    public List<LedgerHour> adjustmentsRecorded(String tenantId, Instant from, Instant to) {
        return store.adjustmentsRecorded(tenantId, from, to);
    }

    /** The resources the tenant was ever metered for. */
    @Transactional(readOnly = true)
    public List<String> resourcesOf(String tenantId) {
        return store.resourcesOf(tenantId);
    }

    /**
     * The tenants (or the one tenant, when {@code tenantId} is not null) with usage in months starting before
     * {@code before} that month close may not have taken yet: open hours, or adjustments recorded in them. Month close
     * decides which of those months it has already invoiced.
     */
    @Transactional(readOnly = true)
    public List<TenantPeriod> unclosedBefore(Instant before, String tenantId) {
        return store.unclosedBefore(before, tenantId);
    }

    /**
     * Closes the tenant's hours in [from, to) in the caller's transaction: from its commit on, a recompute records a
     * late difference as an adjustment instead of changing them. The caller holds the tenant's rollup locks
     * ({@link UsageRollups#recomputeAll} taken in the same transaction), so no recompute is midway through them.
     *
     * @return how many hours were closed
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public int close(String tenantId, Instant from, Instant to, Instant now) {
        return store.close(tenantId, from, to, now);
    }
}
