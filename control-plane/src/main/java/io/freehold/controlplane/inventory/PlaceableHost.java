package io.freehold.controlplane.inventory;

import java.util.Map;

import io.freehold.controlplane.inventory.decision.Capacity.Resources;

/**
 * A host as placement sees it: where it stands, whether it takes new work, and what it may hold in all.
 *
 * @param rackId null for a host that joined without a slot
 * @param allocatable (physical − reserved) × overcommit ratio, per resource; zero before its agent measured it
 * @param version bumped by every change to what the host can hold and by every allocation on it
 */
public record PlaceableHost(String id, String siteId, String rackId, HostState state, boolean cordoned, Map<String, String> labels,
                            Resources allocatable, long version) {
}
