package io.freehold.controlplane.scheduling;

import java.util.Map;

import io.freehold.controlplane.inventory.decision.Capacity.Resources;

/**
 * What a consumer needs from a host.
 *
 * @param siteId the site it must be in, or null for any
 * @param labels labels the host must carry, each with the given value
 * @param groupId the tenant's placement group whose rule applies, or null
 */
public record PlacementSpec(Resources resources, String siteId, Map<String, String> labels, String groupId) {

    public PlacementSpec {
        labels = labels == null ? Map.of() : Map.copyOf(labels);
    }
}
