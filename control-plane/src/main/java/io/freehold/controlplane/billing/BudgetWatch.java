package io.freehold.controlplane.billing;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.freehold.controlplane.billing.decision.BillingPeriod;
import io.freehold.controlplane.platform.audit.AuditTrail;
import io.freehold.controlplane.platform.security.Caller;
import io.freehold.controlplane.platform.security.Role;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Watches budgets: rates each budgeted tenant's month so far (its draft invoice's subtotal, before tax) and records
 * every threshold it has reached that the month has not recorded yet, with an audit event {@code
 * budget.threshold-reached} in the tenant's log. Idempotent: a threshold is recorded once per tenant and month
 * (insert … on conflict do nothing), and only the pass whose insert went in writes the event — so two passes, or two
 * replicas, warn once.
 */
@Component
class BudgetWatch {

    private static final Logger log = LoggerFactory.getLogger(BudgetWatch.class);
    /** Nobody acted: the control plane saw the spend. Named as the other unattended writers of the audit log name it. */
    private static final Caller SYSTEM = new Caller("system", Role.OPS_ADMIN, null, null);

    private final BudgetStore budgets;
    private final Invoicing invoicing;
    private final AuditTrail audit;
    private final Clock clock;
    private final TransactionTemplate transaction;

    BudgetWatch(BudgetStore budgets, Invoicing invoicing, AuditTrail audit, Clock clock, TransactionTemplate transaction) {
        this.budgets = budgets;
        this.invoicing = invoicing;
        this.audit = audit;
        this.clock = clock;
        this.transaction = transaction;
    }

    /**
     * Checks every tenant with a budget, each in a transaction of its own, so one tenant that cannot be rated holds up
     * no other; it is logged and checked again at the next pass. @return the thresholds this pass recorded, by tenant
     */
    Map<String, List<Integer>> checkAll() {
        Map<String, List<Integer>> recorded = new LinkedHashMap<>();
        for (String tenantId : budgets.tenantsWithBudget()) {
            try {
                List<Integer> reached = transaction.execute(tx -> check(tenantId, clock.instant()));
                if (!reached.isEmpty()) {
                    recorded.put(tenantId, reached);
                }
            } catch (RuntimeException e) {
                log.warn("could not check the budget of tenant {}; the next pass tries again", tenantId, e);
            }
        }
        return recorded;
    }

    /**
     * Records the thresholds of the tenant's budget that its month's spend has reached as of {@code now} and were not
     * recorded yet, lowest first. Nothing when it has no budget, pays by no price list, or pays in another currency
     * than its budget's. @return the thresholds this call recorded
     */
    @Transactional
    List<Integer> check(String tenantId, Instant now) {
        Optional<TenantBudget> found = budgets.find(tenantId);
        if (found.isEmpty()) {
            return List.of();
        }
        TenantBudget budget = found.get();
        BillingPeriod period = BillingPeriod.of(now);
        Invoice draft;
        try {
            draft = invoicing.draft(tenantId, period, now);
        } catch (Invoicing.NoPriceList e) {
            return List.of();
        }
        if (!budget.appliesTo(draft.currency())) {
            return List.of();
        }
        BigDecimal spent = draft.subtotal();
        List<Integer> recorded = new ArrayList<>();
        for (int threshold : budget.rule().newlyReached(spent, budgets.reached(tenantId, period.month()))) {
            if (budgets.recordReached(tenantId, period.month(), threshold, now, spent)) {
                recorded.add(threshold);
                Map<String, Object> details = new LinkedHashMap<>();
                details.put("month", period.toString());
                details.put("thresholdPercent", threshold);
                details.put("spent", spent.toPlainString());
                details.put("amount", budget.amount().toPlainString());
                details.put("currency", budget.currency());
                audit.succeeded(SYSTEM, tenantId, "budget.threshold-reached", tenantId, details);
            }
        }
        return recorded;
    }
}
