package io.freehold.controlplane.scheduling.decision;

import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Why a plan came out as it did: how many hosts the planner visited, how many each filter turned away
 * (each host under the first filter that did) and how many fit; every host that fits is scored. The
 * planner visits every host when nothing fits; when enough fit it stops early, and says so.
 *
 * @param hostsInCluster every host in the snapshot
 * @param hostsVisited hosts the planner looked at; fewer than all when it stopped after enough fit
 * @param chosenHostId the host placed on, or null
 */
public record Explanation(int hostsInCluster, int hostsVisited, int hostsFit, Map<Rejection, Integer> rejections,
                          String chosenHostId) {

    public Explanation {
        EnumMap<Rejection, Integer> copy = new EnumMap<>(Rejection.class);
        copy.putAll(rejections);
        rejections = Collections.unmodifiableMap(copy);
    }

    /** Hosts the planner considered: the denominator of "n of m hosts fit". */
    public int hostsConsidered() {
        return hostsVisited;
    }

    /**
     * One sentence for people: {@code 0 of 120 hosts fit: 80 insufficient memory, 30 cordoned, 10
     * anti-affinity} (reasons by count, ties in filter order), or {@code placed on h-… (12 of 120 hosts
     * fit)}, with {@code the first 300 of 10000 hosts} when the planner stopped early.
     */
    public String summary() {
        String considered = hostsVisited == hostsInCluster ? hostsInCluster + " hosts" : "the first " + hostsVisited + " of " + hostsInCluster + " hosts";
        if (chosenHostId != null) {
            return "placed on " + chosenHostId + " (" + hostsFit + " of " + considered + " fit)";
        }
        if (hostsInCluster == 0) {
            return "0 of 0 hosts fit: there are no hosts";
        }
        String reasons = rejections.entrySet().stream()
                .filter(entry -> entry.getValue() > 0)
                .sorted(Comparator.<Map.Entry<Rejection, Integer>>comparingInt(Map.Entry::getValue).reversed()
                        .thenComparing(Map.Entry::getKey))
                .map(entry -> entry.getValue() + " " + entry.getKey().label())
                .collect(Collectors.joining(", "));
        return hostsFit + " of " + considered + " fit" + (reasons.isEmpty() ? "" : ": " + reasons);
    }
}
