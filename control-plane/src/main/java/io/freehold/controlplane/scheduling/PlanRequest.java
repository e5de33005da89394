package io.freehold.controlplane.scheduling;

import java.util.Map;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

/** A dry run's question: would a guest of this size, with these constraints, fit now? */
record PlanRequest(
        @NotNull(message = "is required") @Min(value = 1, message = "must be 1 to 1024") @Max(value = 1024, message = "must be 1 to 1024") Integer vcpus,
        @NotNull(message = "is required") @Min(value = 1, message = "must be 1 to 16777216") @Max(value = 16_777_216, message = "must be 1 to 16777216") Long memoryMib,
        @NotNull(message = "is required") @Min(value = 0, message = "must be 0 to 1048576") @Max(value = 1_048_576, message = "must be 0 to 1048576") Long diskGib,
        String siteId,
        Map<String, String> labels,
        String placementGroupId) {
}
