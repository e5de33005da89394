package io.freehold.controlplane.tenancy;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/** Request bodies of the token endpoints. */
final class TokenRequests {

    static final int DEFAULT_LIFETIME_DAYS = 90;

    private TokenRequests() {
    }

    /**
     * @param expiresInDays lifetime; {@value #DEFAULT_LIFETIME_DAYS} days when absent
     */
    record Create(
            @NotBlank(message = "is required") @Size(max = 100, message = "must be at most 100 characters") String name,
            @Min(value = 1, message = "must be 1 to 3650") @Max(value = 3650, message = "must be 1 to 3650") Integer expiresInDays) {
    }
}
