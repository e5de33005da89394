package io.freehold.controlplane.catalog;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

/** Request bodies of the operators' flavor endpoints. In an update, an absent field keeps its value. */
final class FlavorRequests {

    private static final String NAME = "[a-z0-9]([a-z0-9._-]{0,61}[a-z0-9])?";
    private static final String NAME_RULE = "must be 1 to 63 lowercase letters, digits, dots, dashes and underscores, "
            + "starting and ending with a letter or digit";

    private FlavorRequests() {
    }

    /** The bounds are those of the allocation ledger, so that every flavor can be placed. */
    record Create(
            @NotNull(message = "is required") @Pattern(regexp = NAME, message = NAME_RULE) String name,
            @NotNull(message = "is required") @Min(value = 1, message = "must be at least 1")
            @Max(value = 1024, message = "must be at most 1024") Integer vcpus,
            @NotNull(message = "is required") @Min(value = 64, message = "must be at least 64 (MiB)")
            @Max(value = 16_777_216, message = "must be at most 16777216 (16 TiB)") Long memoryMib,
            @NotNull(message = "is required") @Min(value = 1, message = "must be at least 1 (GiB)")
            @Max(value = 1_048_576, message = "must be at most 1048576 (1 PiB)") Long rootDiskGib,
            FlavorVisibility visibility,
            Boolean disabled) {
    }

    /**
     * The sizes are here only so that a client that sends back what it read is not refused for repeating
     * them; a different value is refused on its field.
     */
    record Update(
            @Pattern(regexp = NAME, message = NAME_RULE) String name,
            FlavorVisibility visibility,
            Boolean disabled,
            Integer vcpus,
            Long memoryMib,
            Long rootDiskGib) {
    }
}
