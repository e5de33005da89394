package io.freehold.controlplane.billing;

import jakarta.validation.constraints.NotNull;

/**
 * A prospective instance: its flavor and, optionally, its image (checked to be usable; images carry no price).
 */
record EstimateRequest(@NotNull(message = "is required") String flavorId, String imageRef) {
}
