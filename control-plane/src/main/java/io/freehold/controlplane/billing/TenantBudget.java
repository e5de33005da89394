package io.freehold.controlplane.billing;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.TreeSet;

import io.freehold.controlplane.billing.decision.Budget;

/**
 * A tenant's monthly budget as stored and as the API shows it.
 *
 * @param amount            before tax, with at most the currency's minor digits
 * @param currency          the tenant's price list's when the budget was set; the budget applies only while the tenant
 *                          still pays in it ({@link #appliesTo})
 * @param thresholdsPercent ascending, distinct
 */
record TenantBudget(String tenantId, @Invoice.Decimal BigDecimal amount, String currency, List<Integer> thresholdsPercent,
                    boolean refuseCreatesWhenSpent, Instant updatedAt) {

    TenantBudget {
        thresholdsPercent = List.copyOf(thresholdsPercent);
    }

    /** The rules of the budget, which billing's pure core applies. */
    Budget rule() {
        return new Budget(amount, new TreeSet<>(thresholdsPercent), refuseCreatesWhenSpent);
    }

    /** Whether spend in {@code spendCurrency} can be held to this budget: only in the currency it was set in. */
    boolean appliesTo(String spendCurrency) {
        return currency.equals(spendCurrency);
    }
}
