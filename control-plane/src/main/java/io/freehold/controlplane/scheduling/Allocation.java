package io.freehold.controlplane.scheduling;

import java.time.Instant;

import io.freehold.controlplane.inventory.decision.Capacity.Resources;

/**
 * One consumer's hold on one host.
 *
 * @param consumerRef what holds it, as {@code <kind>:<id>}, e.g. {@code instance:i-…}
 * @param groupId the placement group it was placed in, or null
 */
public record Allocation(String consumerRef, String tenantId, String hostId, String groupId, Resources resources, Instant createdAt) {
}
