package io.freehold.controlplane.inventory;

import io.freehold.controlplane.inventory.decision.Capacity.Resources;

/**
 * The capacity of a rack or site: sums over its hosts that are not revoked.
 *
 * @param scope {@code rack} or {@code site}
 * @param measuredHosts how many of them reported facts; the others add nothing physical
 * @param schedulableFree free resources on READY, uncordoned hosts only: what new work can get now
 */
public record CapacityTotals(String scope, String id, int hosts, int measuredHosts, Resources physical, Resources reserved,
                             Resources allocatable, Resources allocated, Resources free, Resources schedulableFree) {
}
