package io.freehold.controlplane.scheduling;

import java.time.Instant;

/**
 * A tenant's placement group as the API shows it.
 *
 * @param policy {@code anti-affinity-host}, {@code anti-affinity-rack}, {@code affinity-host} or {@code affinity-rack}
 * @param scoring {@code bin-pack} or {@code spread}: which of the hosts the rule allows is preferred
 * @param members how many consumers were placed in the group
 */
public record PlacementGroup(String id, String tenantId, String name, String policy, String scoring, int members, Instant createdAt) {

    static final String ID_PREFIX = "pg";
}
