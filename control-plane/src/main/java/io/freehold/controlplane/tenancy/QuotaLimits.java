package io.freehold.controlplane.tenancy;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

/** What a tenant may hold at most; enforced atomically by placement. */
public record QuotaLimits(
        @NotNull(message = "is required") @Min(value = 0, message = "must be 0 or more") @Max(value = 1_000_000, message = "must be at most 1000000") Integer vcpus,
        @NotNull(message = "is required") @Min(value = 0, message = "must be 0 or more") @Max(value = 1L << 40, message = "must be at most 1099511627776") Long memoryMib,
        @NotNull(message = "is required") @Min(value = 0, message = "must be 0 or more") @Max(value = 1L << 40, message = "must be at most 1099511627776") Long diskGib,
        @NotNull(message = "is required") @Min(value = 0, message = "must be 0 or more") @Max(value = 1_000_000, message = "must be at most 1000000") Integer instances) {
}
