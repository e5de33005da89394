package io.freehold.controlplane.inventory;

import java.math.BigDecimal;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * Request bodies of the rack endpoints. In updates, an absent field keeps its value and an empty string
 * clears an optional one (the location, facility id, asset tag, row).
 */
final class RackRequests {

    static final int DEFAULT_HEIGHT_U = 42;

    private RackRequests() {
    }

    record Create(
            @NotBlank(message = "is required") String siteId,
            String locationId,
            @NotBlank(message = "is required") @Size(max = 100, message = "must be at most 100 characters") String name,
            @Size(max = 100, message = "must be at most 100 characters") String facilityId,
            @Size(max = 100, message = "must be at most 100 characters") String assetTag,
            @Size(max = 100, message = "must be at most 100 characters") String row,
            @Min(value = 1, message = "must be 1 to 100") @Max(value = 100, message = "must be 1 to 100") Integer heightU,
            RackNumbering numbering,
            @DecimalMin(value = "0", message = "must be 0 or more") @DecimalMax(value = "999999.99", message = "must be at most 999999.99")
            @Digits(integer = 6, fraction = 2, message = "must have at most two decimal places") BigDecimal powerBudgetKw,
            RackStatus status) {
    }

    record Update(
            String locationId,
            @Pattern(regexp = ".*\\S.*", message = "must not be blank") @Size(max = 100, message = "must be at most 100 characters") String name,
            @Size(max = 100, message = "must be at most 100 characters") String facilityId,
            @Size(max = 100, message = "must be at most 100 characters") String assetTag,
            @Size(max = 100, message = "must be at most 100 characters") String row,
            @Min(value = 1, message = "must be 1 to 100") @Max(value = 100, message = "must be 1 to 100") Integer heightU,
            RackNumbering numbering,
            @DecimalMin(value = "0", message = "must be 0 or more") @DecimalMax(value = "999999.99", message = "must be at most 999999.99")
            @Digits(integer = 6, fraction = 2, message = "must have at most two decimal places") BigDecimal powerBudgetKw,
            RackStatus status) {
    }
}
