package io.freehold.controlplane.billing;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

import io.freehold.controlplane.billing.MonthToDateCost.BudgetStanding;
import io.freehold.controlplane.billing.decision.BillingPeriod;
import io.freehold.controlplane.billing.decision.Budget;
import io.freehold.controlplane.billing.decision.Forecast;
import io.freehold.controlplane.billing.decision.HourlyRate;
import io.freehold.controlplane.billing.decision.Money;
import io.freehold.controlplane.billing.decision.PriceBook;
import io.freehold.controlplane.catalog.PriceLists;
import io.freehold.controlplane.compute.BilledInstances;
import io.freehold.controlplane.compute.BilledInstances.LiveShape;
import io.freehold.controlplane.compute.decision.PowerState;
import io.freehold.controlplane.platform.security.Caller;
import io.freehold.controlplane.platform.security.Capability;
import io.freehold.controlplane.platform.web.ApiProblem;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** The caller's tenant's month so far, its current hourly rate, the month-end forecast and the budget's standing. */
@Service
class Costs {

    private final Invoicing invoicing;
    private final PriceLists priceLists;
    private final BilledInstances instances;
    private final BudgetStore budgets;
    private final Clock clock;

    Costs(Invoicing invoicing, PriceLists priceLists, BilledInstances instances, BudgetStore budgets, Clock clock) {
        this.invoicing = invoicing;
        this.priceLists = priceLists;
        this.instances = instances;
        this.budgets = budgets;
        this.clock = clock;
    }

    @Transactional(readOnly = true)
    MonthToDateCost monthToDate(Caller caller) {
        String tenantId = caller.ownTenant(Capability.READ_TENANT, "the cost is the caller's own tenant's");
        Instant now = clock.instant();
        BillingPeriod period = BillingPeriod.of(now);
        PriceBook book = priceLists.bookFor(tenantId).filter(found -> found.at(now).isPresent())
                .orElseThrow(() -> ApiProblem.conflict("no price list is in force for your tenant yet; ask your operator"));
        Invoice draft = invoicing.draft(tenantId, period, now);
        BigDecimal rate = HourlyRate.of(book, now, instances.liveShapes(tenantId).stream().map(Costs::priced).toList());
        BigDecimal forecast = Money.round(Forecast.monthEnd(period, now, draft.subtotal(), rate), book.currency());
        BudgetStanding standing = budgets.find(tenantId).filter(budget -> budget.appliesTo(draft.currency()))
                .map(budget -> standing(budget, draft.subtotal(), budgets.reached(tenantId, period.month()).stream().toList()))
                .orElse(null);
        return new MonthToDateCost(period.month(), draft.currency(), now, draft.subtotal(), draft.tax(), rate.stripTrailingZeros(), forecast,
                standing);
    }

    /** Priced as the estimate prices a flavor. */
    private static HourlyRate.PricedInstance priced(LiveShape instance) {
        return new HourlyRate.PricedInstance(Estimates.shape(instance.vcpus(), instance.memoryMib(), instance.rootDiskGib()),
                instance.powerState() == PowerState.RUNNING);
    }

    private static BudgetStanding standing(TenantBudget budget, BigDecimal spent, List<Integer> reached) {
        Budget rule = budget.rule();
        return new BudgetStanding(budget.amount(), budget.thresholdsPercent(), reached, rule.percentSpent(spent), budget.refuseCreatesWhenSpent(),
                rule.refusesCreates(spent));
    }
}
