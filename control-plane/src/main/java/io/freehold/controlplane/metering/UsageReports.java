package io.freehold.controlplane.metering;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.freehold.controlplane.metering.decision.Meter;
import io.freehold.controlplane.platform.security.Caller;
import io.freehold.controlplane.platform.security.Capability;
import io.freehold.controlplane.platform.web.ApiProblem;
import io.freehold.controlplane.tenancy.TenantService;
import org.springframework.stereotype.Service;

/**
 * Usage reports from the hourly rollups: a tenant's own at {@code /usage}, any tenant's for operators at
 * {@code /ops/usage}. Every report reads one tenant's rows only. An hour counts as its stored quantity plus its
 * adjustments, which is what the lifecycle log integrates to as of the hour's last recompute.
 */
@Service
class UsageReports {

    private final UsageReportStore store;
    private final TenantService tenants;
    private final Clock clock;

    UsageReports(UsageReportStore store, TenantService tenants, Clock clock) {
        this.store = store;
        this.tenants = tenants;
        this.clock = clock;
    }

    /** The caller's own tenant's usage; operators, who have no tenant, are sent to {@link #ofTenant}. */
    UsageReport own(Caller caller, UsageParameters parameters) {
        String tenantId = caller.ownTenant(Capability.READ_TENANT, "read a tenant's usage at /api/v1/ops/usage?tenantId=…");
        return report(UsageQuery.parse(tenantId, parameters, clock.instant()));
    }

    /** Any tenant's usage, for operators; 404 when the tenant does not exist. */
    UsageReport ofTenant(Caller caller, String tenantId, UsageParameters parameters) {
        caller.require(Capability.READ_OPS);
        if (tenantId == null) {
            throw ApiProblem.malformed("tenantId", "is required: the tenant whose usage to read");
        }
        UsageQuery query = UsageQuery.parse(tenantId, parameters, clock.instant());
        tenants.find(tenantId);
        return report(query);
    }

    private UsageReport report(UsageQuery query) {
        List<UsageReport.Item> items = new ArrayList<>();
        List<UsageReport.Total> totals = new ArrayList<>();
        for (UsageReportStore.Sum sum : store.sums(query)) {
            Meter meter = Meter.named(sum.meterName())
                    .orElseThrow(() -> new IllegalStateException("usage stored under an unknown meter " + sum.meterName()));
            // A period partly outside the range holds only the hours inside, and says so.
            Instant start = max(sum.period(), query.from());
            Instant end = min(query.granularity().end(sum.period()), query.to());
            if (sum.isTotal()) {
                totals.add(new UsageReport.Total(meter.meterName(), sum.flavor(), start, end, meter.published(sum.quantity()),
                        meter.publishedUnit()));
            } else {
                items.add(new UsageReport.Item(sum.resourceId(), meter.meterName(), sum.flavor(), start, end,
                        meter.published(sum.quantity()), meter.publishedUnit()));
            }
        }
        return new UsageReport(query.tenantId(), query.from(), query.to(), query.granularity(), items, totals);
    }

    private static Instant max(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }
}
