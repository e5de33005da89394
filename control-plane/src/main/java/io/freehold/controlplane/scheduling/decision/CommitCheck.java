package io.freehold.controlplane.scheduling.decision;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The applier's re-check of a batch of plans against the chosen hosts as they are at commit, read under
 * their row locks: in the order the plans were made, each is kept when its host, with what the batch
 * already kept on it, still passes every filter, group rules included; the others are planned again.
 */
public final class CommitCheck {

    private CommitCheck() {
    }

    /** The indexes of the plans to commit and of those to plan again, each in the order given. */
    public record Outcome(List<Integer> commit, List<Integer> retry) {
    }

    /**
     * @param requests the requests, each placed by its plan at the same index
     * @param plannedHostIds the host each plan chose
     * @param locked the chosen hosts as they are now; a host missing here is gone or held by another transaction
     */
    public static Outcome check(List<PlacementRequest> requests, List<String> plannedHostIds, Map<String, HostSnapshot> locked) {
        if (requests.size() != plannedHostIds.size()) {
            throw new IllegalArgumentException(requests.size() + " requests but " + plannedHostIds.size() + " plans");
        }
        Map<String, HostSnapshot> hosts = new HashMap<>(locked);
        Map<String, GroupRule> rulesSoFar = new HashMap<>();
        List<Integer> commit = new ArrayList<>();
        List<Integer> retry = new ArrayList<>();
        for (int i = 0; i < requests.size(); i++) {
            PlacementRequest request = requests.get(i);
            GroupRule rule = request.group() == null ? null : rulesSoFar.getOrDefault(request.group().groupId(), request.group());
            PlacementRequest withRule = rule == request.group() ? request : new PlacementRequest(request.consumerRef(),
                    request.resources(), request.siteId(), request.requiredLabels(), rule, request.scoring());
            HostSnapshot host = hosts.get(plannedHostIds.get(i));
            if (host == null || !Planner.fits(withRule, host)) {
                retry.add(i);
                continue;
            }
            commit.add(i);
            hosts.put(host.hostId(), host.plus(request.resources()));
            if (rule != null) {
                rulesSoFar.put(rule.groupId(), rule.with(host));
            }
        }
        return new Outcome(List.copyOf(commit), List.copyOf(retry));
    }
}
