package io.freehold.controlplane.tenancy;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** Request bodies of the tenant endpoints. */
final class TenantRequests {

    private TenantRequests() {
    }

    record Create(
            @NotBlank(message = "is required") @Size(max = 200, message = "must be at most 200 characters") String name,
            @NotNull(message = "is required")
            @Pattern(regexp = "^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$",
                    message = "must be 1 to 63 lower-case letters, digits and inner hyphens") String slug,
            @Valid QuotaLimits quota) {
    }

    record Update(
            @Pattern(regexp = ".*\\S.*", message = "must not be blank") @Size(max = 200, message = "must be at most 200 characters") String name,
            TenantStatus status,
            @Size(max = 500, message = "must be at most 500 characters") String suspendedReason) {
    }
}
