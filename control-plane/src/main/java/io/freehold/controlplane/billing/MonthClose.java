package io.freehold.controlplane.billing;

import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;

import io.freehold.controlplane.billing.decision.BillingPeriod;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * Closes ended months into final invoices, tenant by tenant, each in its own transaction ({@link Invoicing#close}):
 * one tenant's failure (no price list, say) leaves the others' invoices closed and its own month open for the next
 * run. Safe to run any number of times, on any replica, concurrently: a month already final is skipped.
 */
@Service
public class MonthClose {

    private static final Logger LOG = LoggerFactory.getLogger(MonthClose.class);

    private final Invoicing invoicing;
    private final BillingMetrics metrics;
    private final BillingProperties properties;
    private final Clock clock;

    MonthClose(Invoicing invoicing, BillingMetrics metrics, BillingProperties properties, Clock clock) {
        this.invoicing = invoicing;
        this.metrics = metrics;
        this.properties = properties;
        this.clock = clock;
    }

    /**
     * What one run did.
     *
     * @param closed       the invoices it made final
     * @param alreadyFinal how many months it found final already
     * @param failed       the tenants' months it could not close, with why
     */
    public record Outcome(List<Invoice> closed, int alreadyFinal, List<Failure> failed) {
    }

    public record Failure(String tenantId, YearMonth period, String reason) {
    }

    /** The job's run: every month that ended at least {@code closeAfter} ago and is not final for some tenant. */
    public Outcome closeEnded() {
        Instant now = clock.instant();
        Instant before = BillingPeriod.of(now.minus(properties.monthClose().closeAfter())).start();
        return close(invoicing.unclosedBefore(before, null), null, now);
    }

    /**
     * Closes one ended month for every tenant with charges in it, now, whatever {@code closeAfter} says (an operator's
     * decision).
     *
     * @throws IllegalArgumentException when the month has not ended
     */
    public Outcome closeMonth(YearMonth month) {
        Instant now = clock.instant();
        BillingPeriod period = new BillingPeriod(month);
        if (now.isBefore(period.end())) {
            throw new IllegalArgumentException(month + " has not ended");
        }
        Outcome outcome = close(invoicing.unclosedBefore(period.end(), null), month, now);
        // A month whose hours are all closed is no longer among the unclosed: count every final invoice of it.
        return new Outcome(outcome.closed(), invoicing.finalCount(month) - outcome.closed().size(), outcome.failed());
    }

    private Outcome close(Map<String, SortedSet<YearMonth>> unclosed, YearMonth only, Instant now) {
        List<Invoice> closed = new ArrayList<>();
        List<Failure> failed = new ArrayList<>();
        int alreadyFinal = 0;
        for (Map.Entry<String, SortedSet<YearMonth>> tenant : unclosed.entrySet()) {
            for (YearMonth month : tenant.getValue()) {
                if (only != null && !only.equals(month)) {
                    continue;
                }
                if (invoicing.isFinal(tenant.getKey(), month)) {
                    // Adjustments or credit notes recorded in a month keep it among the unclosed after its close.
                    alreadyFinal++;
                    continue;
                }
                try {
                    Invoicing.Closed result = invoicing.close(tenant.getKey(), new BillingPeriod(month), now);
                    if (result.alreadyFinal()) {
                        alreadyFinal++;
                    } else {
                        closed.add(result.invoice());
                        metrics.closed();
                    }
                } catch (RuntimeException e) {
                    LOG.warn("month close of {} for tenant {} failed; the next run tries again: {}", month, tenant.getKey(), e.toString());
                    metrics.closeFailed();
                    failed.add(new Failure(tenant.getKey(), month, e.getMessage()));
                }
            }
        }
        return new Outcome(closed, alreadyFinal, failed);
    }
}
