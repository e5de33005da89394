package io.freehold.controlplane.scheduling;

import io.freehold.controlplane.scheduling.decision.GroupPolicy;
import io.freehold.controlplane.scheduling.decision.ScoringPolicy;

/** The API's and the database's names for the planner's policies. */
final class PolicyNames {

    private PolicyNames() {
    }

    static GroupPolicy policy(String name) {
        return switch (name) {
            case "anti-affinity-host" -> GroupPolicy.ANTI_AFFINITY_HOST;
            case "anti-affinity-rack" -> GroupPolicy.ANTI_AFFINITY_RACK;
            case "affinity-host" -> GroupPolicy.AFFINITY_HOST;
            case "affinity-rack" -> GroupPolicy.AFFINITY_RACK;
            default -> throw new IllegalArgumentException("no placement policy is called " + name);
        };
    }

    static ScoringPolicy scoring(String name) {
        return switch (name) {
            case "bin-pack" -> ScoringPolicy.BIN_PACK;
            case "spread" -> ScoringPolicy.SPREAD;
            default -> throw new IllegalArgumentException("no scoring is called " + name);
        };
    }
}
