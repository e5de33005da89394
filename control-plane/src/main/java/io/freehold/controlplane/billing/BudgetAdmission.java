package io.freehold.controlplane.billing;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Optional;

import io.freehold.controlplane.billing.decision.BillingPeriod;
import io.freehold.controlplane.compute.CreateAdmission;
import io.freehold.controlplane.platform.web.ApiProblem;
import io.freehold.controlplane.platform.web.ProblemType;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Refuses a new instance once the tenant's month has spent its budget, when the tenant opted in. The month is rated
 * only for such a tenant: others create instances without a rating. A tenant without prices has spent nothing.
 */
@Component
class BudgetAdmission implements CreateAdmission {

    private final BudgetStore budgets;
    private final Invoicing invoicing;

    BudgetAdmission(BudgetStore budgets, Invoicing invoicing) {
        this.budgets = budgets;
        this.invoicing = invoicing;
    }

    @Override
    @Transactional(readOnly = true)
    public void admit(String tenantId, Instant now) {
        Optional<TenantBudget> budget = budgets.find(tenantId).filter(TenantBudget::refuseCreatesWhenSpent);
        if (budget.isEmpty()) {
            return;
        }
        Invoice draft;
        try {
            draft = invoicing.draft(tenantId, BillingPeriod.of(now), now);
        } catch (Invoicing.NoPriceList e) {
            return;
        }
        BigDecimal spent = draft.subtotal();
        if (budget.get().appliesTo(draft.currency()) && budget.get().rule().refusesCreates(spent)) {
            throw new ApiProblem(ProblemType.BUDGET_EXHAUSTED, "the monthly budget of " + budget.get().amount().toPlainString() + " "
                    + draft.currency() + " is spent: " + spent.toPlainString() + " " + draft.currency()
                    + " this month before tax; a tenant admin can raise it at PUT /api/v1/billing/budget");
        }
    }
}
