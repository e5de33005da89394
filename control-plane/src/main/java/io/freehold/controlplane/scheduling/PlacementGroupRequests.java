package io.freehold.controlplane.scheduling;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

/** What a tenant sends to create a placement group. */
final class PlacementGroupRequests {

    private PlacementGroupRequests() {
    }

    record Create(
            @NotBlank(message = "is required")
            @Pattern(regexp = "[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?", message = "must be 1 to 63 lowercase letters, digits and dashes, "
                    + "starting and ending with a letter or digit") String name,
            @NotNull(message = "is required")
            @Pattern(regexp = "anti-affinity-host|anti-affinity-rack|affinity-host|affinity-rack",
                    message = "must be anti-affinity-host, anti-affinity-rack, affinity-host or affinity-rack") String policy,
            @Pattern(regexp = "bin-pack|spread", message = "must be bin-pack or spread") String scoring) {
    }
}
