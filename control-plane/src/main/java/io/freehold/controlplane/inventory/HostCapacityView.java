package io.freehold.controlplane.inventory;

import java.math.BigDecimal;

import io.freehold.controlplane.inventory.decision.Capacity.Resources;

/**
 * One host's capacity as the ops API shows it.
 *
 * @param measured whether an agent reported facts; physical (and so allocatable) is zero until one did
 * @param allocated what guests hold; zero until placement exists
 * @param overcommitted whether something allocated exceeds what is allocatable, after a ratio was lowered
 */
public record HostCapacityView(String hostId, String hostname, HostState state, boolean cordoned, boolean measured,
                               Resources physical, Resources reserved, BigDecimal cpuRatio, BigDecimal memoryRatio,
                               BigDecimal diskRatio, Resources allocatable, Resources allocated, Resources free,
                               boolean overcommitted) {
}
