package io.freehold.controlplane.billing;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** Request bodies of the operators' billing endpoints. */
final class BillingRequests {

    private BillingRequests() {
    }

    /** @param period the month to close, e.g. {@code 2026-10} */
    record MonthCloseRequest(@NotNull(message = "is required") @Pattern(regexp = "[0-9]{4}-(0[1-9]|1[0-2])", message = "must be a month such as 2026-10") String period) {
    }

    /** @param amount before tax, in the tenant's price-list currency, a decimal string */
    record CreditNoteRequest(
            @NotNull(message = "is required") @Pattern(regexp = "[0-9]{1,12}(\\.[0-9]{1,6})?", message = "must be a positive decimal with at most 6 decimals, as a string") String amount,
            @NotNull(message = "is required") @Size(min = 1, max = 500, message = "must be 1 to 500 characters") String reason) {
    }
}
