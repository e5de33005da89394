package io.freehold.controlplane.scheduling;

/** One consumer's request for host resources in a batch: whose quota it counts against, who it is, what it needs. */
public record PlacementAsk(String tenantId, String consumerRef, PlacementSpec spec) {
}
