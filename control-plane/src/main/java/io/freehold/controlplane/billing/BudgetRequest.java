package io.freehold.controlplane.billing;

import java.util.List;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * The budget a tenant admin sets: {@code PUT /api/v1/billing/budget}. Whether the amount fits the currency's minor
 * unit is checked against the tenant's price list ({@link Budgets}).
 *
 * @param amount                 a decimal string in the currency of the tenant's price list, before tax
 * @param thresholdsPercent      50, 80 and 100 when not given
 * @param refuseCreatesWhenSpent false when not given
 */
record BudgetRequest(
        @NotNull(message = "is required")
        @Pattern(regexp = "[0-9]{1,12}(\\.[0-9]{1,3})?", message = "must be a positive decimal with at most 12 digits before and 3 after the point, as a string, e.g. \"100.00\"")
        String amount,
        @Size(min = 1, max = 10, message = "must list 1 to 10 thresholds")
        List<@NotNull(message = "is required") @Min(value = 1, message = "must be 1 to 1000 (percent of the amount)")
        @Max(value = 1000, message = "must be 1 to 1000 (percent of the amount)") Integer> thresholdsPercent,
        Boolean refuseCreatesWhenSpent) {
}
