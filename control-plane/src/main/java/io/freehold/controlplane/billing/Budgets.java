package io.freehold.controlplane.billing;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Currency;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import io.freehold.controlplane.billing.decision.Budget;
import io.freehold.controlplane.billing.decision.Money;
import io.freehold.controlplane.billing.decision.PriceBook;
import io.freehold.controlplane.catalog.PriceLists;
import io.freehold.controlplane.platform.audit.AuditTrail;
import io.freehold.controlplane.platform.security.Caller;
import io.freehold.controlplane.platform.security.Capability;
import io.freehold.controlplane.platform.web.ApiProblem;
import io.freehold.controlplane.platform.web.FieldError;
import io.freehold.controlplane.platform.web.ProblemType;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The caller's tenant's budget: every tenant role reads it, a tenant admin sets and removes it. Setting it checks the
 * month's thresholds at once, so a budget set below what is already spent warns now rather than at the next pass.
 */
@Service
class Budgets {

    private final BudgetStore budgets;
    private final BudgetWatch watch;
    private final PriceLists priceLists;
    private final AuditTrail audit;
    private final Clock clock;

    Budgets(BudgetStore budgets, BudgetWatch watch, PriceLists priceLists, AuditTrail audit, Clock clock) {
        this.budgets = budgets;
        this.watch = watch;
        this.priceLists = priceLists;
        this.audit = audit;
        this.clock = clock;
    }

    TenantBudget get(Caller caller) {
        String tenantId = caller.ownTenant(Capability.READ_TENANT, "a budget is the caller's own tenant's");
        return budgets.find(tenantId).orElseThrow(() -> new ApiProblem(ProblemType.NOT_FOUND,
                "your tenant has no budget; a tenant admin sets one at PUT /api/v1/billing/budget"));
    }

    @Transactional
    TenantBudget put(Caller caller, BudgetRequest request) {
        String tenantId = caller.ownTenant(Capability.MANAGE_BILLING, "a budget is the caller's own tenant's");
        Currency currency = priceLists.bookFor(tenantId).map(PriceBook::currency).orElseThrow(() -> ApiProblem.conflict(
                "your tenant pays by no price list yet, so a budget would have no currency; ask your operator"));
        BigDecimal amount = amount(request.amount(), currency);
        List<Integer> thresholds = thresholds(request.thresholdsPercent());
        boolean refuseCreates = Boolean.TRUE.equals(request.refuseCreatesWhenSpent());
        Instant now = clock.instant();
        budgets.put(new TenantBudget(tenantId, amount, currency.getCurrencyCode(), thresholds, refuseCreates, now));
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("amount", amount.toPlainString());
        details.put("currency", currency.getCurrencyCode());
        details.put("thresholdsPercent", thresholds);
        details.put("refuseCreatesWhenSpent", refuseCreates);
        audit.succeeded(caller, tenantId, "budget.set", tenantId, details);
        watch.check(tenantId, now);
        return budgets.find(tenantId).orElseThrow();
    }

    /** Removes the budget; removing none is no error (the tenant has none either way). */
    @Transactional
    void delete(Caller caller) {
        String tenantId = caller.ownTenant(Capability.MANAGE_BILLING, "a budget is the caller's own tenant's");
        boolean removed = budgets.delete(tenantId);
        audit.succeeded(caller, tenantId, "budget.delete", tenantId, Map.of("removed", removed));
    }

    /**
     * The amount at the currency's scale ("100" is 100.00 EUR), checked to be positive and to be a whole number of its
     * minor unit: budgets are compared with invoice amounts, which are.
     */
    private static BigDecimal amount(String written, Currency currency) {
        BigDecimal amount = new BigDecimal(written);
        if (amount.signum() == 0) {
            throw ApiProblem.invalid("amount", "must be more than 0");
        }
        BigDecimal rounded = Money.round(amount, currency);
        if (rounded.compareTo(amount) != 0) {
            throw ApiProblem.invalid("amount", "must have at most " + rounded.scale() + " decimal places in " + currency.getCurrencyCode());
        }
        return rounded;
    }

    /** Ascending; each percentage once. */
    private static List<Integer> thresholds(List<Integer> requested) {
        if (requested == null) {
            return List.copyOf(Budget.DEFAULT_THRESHOLDS);
        }
        List<FieldError> errors = new ArrayList<>();
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < requested.size(); i++) {
            if (!seen.add(requested.get(i))) {
                errors.add(new FieldError("thresholdsPercent[" + i + "]", requested.get(i) + " is listed twice"));
            }
        }
        if (!errors.isEmpty()) {
            throw new ApiProblem(ProblemType.VALIDATION_FAILED,
                    errors.stream().map(error -> error.field() + ": " + error.message()).collect(Collectors.joining("; ")), errors);
        }
        return requested.stream().sorted().toList();
    }
}
