package io.freehold.controlplane.inventory;

import java.math.BigDecimal;
import java.util.Map;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * Request bodies of the host endpoints. Ratios and reservations default to
 * {@code freehold.inventory.defaults}. In updates, an absent field keeps its value, an empty string
 * clears an optional text, and {@code labels} replaces all labels.
 */
final class HostRequests {

    static final String HOSTNAME = "^$|^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$";
    static final String HOSTNAME_MESSAGE = "must be a DNS host name: dot-separated labels of letters, digits and inner hyphens";

    private HostRequests() {
    }

    record Create(
            @NotBlank(message = "is required") String rackId,
            @NotNull(message = "is required") @Min(value = 1, message = "must be 1 or more") @Max(value = 100, message = "must be at most 100") Integer positionU,
            @Min(value = 1, message = "must be 1 to 20") @Max(value = 20, message = "must be 1 to 20") Integer heightU,
            @Pattern(regexp = HOSTNAME, message = HOSTNAME_MESSAGE) String hostname,
            @Size(max = 100, message = "must be at most 100 characters") String serial,
            @Size(max = 100, message = "must be at most 100 characters") String assetTag,
            @Size(max = 2000, message = "must be at most 2000 characters") String notes,
            Map<String, String> labels,
            @DecimalMin(value = "0", inclusive = false, message = "must be above 0") @DecimalMax(value = "100", message = "must be at most 100")
            @Digits(integer = 3, fraction = 2, message = "must have at most two decimal places") BigDecimal cpuRatio,
            @DecimalMin(value = "0", inclusive = false, message = "must be above 0") @DecimalMax(value = "100", message = "must be at most 100")
            @Digits(integer = 3, fraction = 2, message = "must have at most two decimal places") BigDecimal memoryRatio,
            @DecimalMin(value = "0", inclusive = false, message = "must be above 0") @DecimalMax(value = "100", message = "must be at most 100")
            @Digits(integer = 3, fraction = 2, message = "must have at most two decimal places") BigDecimal diskRatio,
            @Min(value = 0, message = "must be 0 or more") @Max(value = 100_000, message = "must be at most 100000") Integer reservedVcpus,
            @Min(value = 0, message = "must be 0 or more") @Max(value = 1L << 30, message = "must be at most 1073741824") Long reservedMemoryMib,
            @Min(value = 0, message = "must be 0 or more") @Max(value = 1L << 30, message = "must be at most 1073741824") Long reservedDiskGib) {
    }

    record Update(
            String rackId,
            @Min(value = 1, message = "must be 1 or more") @Max(value = 100, message = "must be at most 100") Integer positionU,
            @Min(value = 1, message = "must be 1 to 20") @Max(value = 20, message = "must be 1 to 20") Integer heightU,
            @Pattern(regexp = HOSTNAME, message = HOSTNAME_MESSAGE) String hostname,
            @Size(max = 100, message = "must be at most 100 characters") String serial,
            @Size(max = 100, message = "must be at most 100 characters") String assetTag,
            @Size(max = 2000, message = "must be at most 2000 characters") String notes,
            Map<String, String> labels,
            @DecimalMin(value = "0", inclusive = false, message = "must be above 0") @DecimalMax(value = "100", message = "must be at most 100")
            @Digits(integer = 3, fraction = 2, message = "must have at most two decimal places") BigDecimal cpuRatio,
            @DecimalMin(value = "0", inclusive = false, message = "must be above 0") @DecimalMax(value = "100", message = "must be at most 100")
            @Digits(integer = 3, fraction = 2, message = "must have at most two decimal places") BigDecimal memoryRatio,
            @DecimalMin(value = "0", inclusive = false, message = "must be above 0") @DecimalMax(value = "100", message = "must be at most 100")
            @Digits(integer = 3, fraction = 2, message = "must have at most two decimal places") BigDecimal diskRatio,
            @Min(value = 0, message = "must be 0 or more") @Max(value = 100_000, message = "must be at most 100000") Integer reservedVcpus,
            @Min(value = 0, message = "must be 0 or more") @Max(value = 1L << 30, message = "must be at most 1073741824") Long reservedMemoryMib,
            @Min(value = 0, message = "must be 0 or more") @Max(value = 1L << 30, message = "must be at most 1073741824") Long reservedDiskGib) {
    }

    /** @param reason why, for the host's events and the audit log */
    record Revoke(@Size(max = 500, message = "must be at most 500 characters") String reason) {
    }
}
