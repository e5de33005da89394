package io.freehold.controlplane.catalog;

import java.time.Instant;
import java.util.Map;

import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** Request bodies of the operators' price-list endpoints. */
final class PriceListRequests {

    private static final String NAME = "[a-z0-9]([a-z0-9._-]{0,61}[a-z0-9])?";
    private static final String NAME_RULE = "must be 1 to 63 lowercase letters, digits, dots, dashes and underscores, "
            + "starting and ending with a letter or digit";
    static final String DECIMAL = "[0-9]{1,12}(\\.[0-9]{1,12})?";
    static final String DECIMAL_RULE = "must be a non-negative decimal with at most 12 digits before and 12 after the point, as a string";

    private PriceListRequests() {
    }

    /** @param currency ISO 4217, e.g. EUR */
    record Create(
            @NotNull(message = "is required") @Pattern(regexp = NAME, message = NAME_RULE) String name,
            @NotNull(message = "is required") @Pattern(regexp = "[A-Z]{3}", message = "must be an ISO 4217 code such as EUR") String currency,
            Boolean isDefault) {
    }

    /** Only the default flag changes; a list's prices change by a new version. */
    record Update(@NotNull(message = "is required") Boolean isDefault) {
    }

    /** @param unitPrices by meter name, each a decimal string */
    record NewVersion(
            @NotNull(message = "is required") Instant effectiveFrom,
            @NotNull(message = "is required") @Pattern(regexp = "0(\\.[0-9]{1,6})?", message = "must be a fraction below 1 with at most 6 decimals, as a string, e.g. \"0.19\"") String taxRate,
            @NotNull(message = "is required") @NotEmpty(message = "must price at least one meter")
            @Size(max = 200, message = "must price at most 200 meters") Map<String, String> unitPrices) {
    }

    record Pricing(
            @NotNull(message = "is required") String priceListId,
            @Pattern(regexp = "(100(\\.0{1,2})?|[0-9]{1,2}(\\.[0-9]{1,2})?)", message = "must be 0 to 100 with at most 2 decimals, as a string") String discountPercent) {
    }
}
