package io.freehold.controlplane.inventory;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** Request bodies of the site and location endpoints. In updates, an absent field keeps its value. */
final class SiteRequests {

    private SiteRequests() {
    }

    record CreateSite(
            @NotBlank(message = "is required") @Size(max = 100, message = "must be at most 100 characters") String name,
            @Size(max = 500, message = "must be at most 500 characters") String address,
            @NotBlank(message = "is required") String timezone) {
    }

    record UpdateSite(
            @Pattern(regexp = ".*\\S.*", message = "must not be blank") @Size(max = 100, message = "must be at most 100 characters") String name,
            @Size(max = 500, message = "must be at most 500 characters") String address,
            @Pattern(regexp = ".*\\S.*", message = "must not be blank") String timezone) {
    }

    record CreateLocation(
            @NotBlank(message = "is required") @Size(max = 100, message = "must be at most 100 characters") String name,
            @NotNull(message = "is required") LocationKind kind) {
    }

    record UpdateLocation(
            @Pattern(regexp = ".*\\S.*", message = "must not be blank") @Size(max = 100, message = "must be at most 100 characters") String name,
            LocationKind kind) {
    }
}
