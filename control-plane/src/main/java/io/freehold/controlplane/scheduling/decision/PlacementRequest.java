package io.freehold.controlplane.scheduling.decision;

import java.util.Map;

import io.freehold.controlplane.inventory.decision.Capacity.Resources;

/**
 * What one consumer needs.
 *
 * @param siteId the site the host must be in, or null for any
 * @param requiredLabels labels the host must carry with exactly these values
 * @param group the placement group's rule, or null
 */
public record PlacementRequest(String consumerRef, Resources resources, String siteId, Map<String, String> requiredLabels, GroupRule group,
                               ScoringPolicy scoring) {

    public PlacementRequest {
        requiredLabels = requiredLabels == null ? Map.of() : Map.copyOf(requiredLabels);
        scoring = scoring == null ? ScoringPolicy.BIN_PACK : scoring;
    }
}
