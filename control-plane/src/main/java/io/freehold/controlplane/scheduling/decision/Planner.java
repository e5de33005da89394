package io.freehold.controlplane.scheduling.decision;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Places requests on a snapshot (ARCHITECTURE §3.4, STYLE §1). Hosts are visited in a seeded order and
 * run through the filters, cheapest first; the hosts that pass are scored until {@code sampleSize} of
 * them were found, and the best wins (ties to the smaller host id). Bounding the sample keeps a decision
 * fast on 10,000 hosts; when nothing fits, every host was visited, so the explanation's counts are exact.
 */
public final class Planner {

    private static final List<HostFilter> FILTERS = List.of(new StateFilter(), new SiteFilter(), new LabelFilter(), new CapacityFilter(),
            new GroupFilter());
    private static final HostScorer BIN_PACK = new BinPackScorer();
    private static final HostScorer SPREAD = new SpreadScorer();

    private final int sampleSize;

    /** @param sampleSize how many feasible hosts to score before choosing; at least 1 */
    public Planner(int sampleSize) {
        if (sampleSize < 1) {
            throw new IllegalArgumentException("the sample size must be at least 1, not " + sampleSize);
        }
        this.sampleSize = sampleSize;
    }

    public Plan place(PlacementRequest request, ClusterSnapshot snapshot, long seed) {
        return place(request, snapshot.hosts(), seed).plan();
    }

    /**
     * Places the requests one after another on one snapshot, each seeing what the earlier ones took and,
     * within a placement group, where the earlier members went: what a batch committed together needs.
     */
    public List<Plan> placeAll(List<PlacementRequest> requests, ClusterSnapshot snapshot, long seed) {
        List<HostSnapshot> hosts = new ArrayList<>(snapshot.hosts());
        Map<String, GroupRule> groupsSoFar = new HashMap<>();
        List<Plan> plans = new ArrayList<>(requests.size());
        for (int i = 0; i < requests.size(); i++) {
            PlacementRequest request = requests.get(i);
            if (request.group() != null && groupsSoFar.containsKey(request.group().groupId())) {
                request = new PlacementRequest(request.consumerRef(), request.resources(), request.siteId(), request.requiredLabels(),
                        groupsSoFar.get(request.group().groupId()), request.scoring());
            }
            Decision decision = place(request, hosts, seed + i);
            Plan plan = decision.plan();
            if (plan.host() != null) {
                hosts.set(decision.index(), plan.host().plus(request.resources()));
                if (request.group() != null) {
                    groupsSoFar.put(request.group().groupId(), request.group().with(plan.host()));
                }
            }
            plans.add(plan);
        }
        return plans;
    }

    /** A plan and where its host stands in the list it was chosen from (-1 for none). */
    private record Decision(Plan plan, int index) {
    }

    private Decision place(PlacementRequest request, List<HostSnapshot> hosts, long seed) {
        HostScorer scorer = request.scoring() == ScoringPolicy.SPREAD ? SPREAD : BIN_PACK;
        int[] rejected = new int[Rejection.values().length];
        VisitOrder order = new VisitOrder(hosts.size(), seed);
        int visited = 0;
        int fit = 0;
        HostSnapshot best = null;
        int bestIndex = -1;
        double bestScore = Double.NEGATIVE_INFINITY;
        while (visited < hosts.size() && fit < sampleSize) {
            int index = order.at(visited++);
            HostSnapshot host = hosts.get(index);
            Rejection rejection = firstRejection(request, host);
            if (rejection != null) {
                rejected[rejection.ordinal()]++;
                continue;
            }
            fit++;
            double score = scorer.score(request, host);
            if (score > bestScore || score == bestScore && host.hostId().compareTo(best.hostId()) < 0) {
                best = host;
                bestIndex = index;
                bestScore = score;
            }
        }
        Map<Rejection, Integer> counts = new EnumMap<>(Rejection.class);
        for (Rejection rejection : Rejection.values()) {
            if (rejected[rejection.ordinal()] > 0) {
                counts.put(rejection, rejected[rejection.ordinal()]);
            }
        }
        return new Decision(new Plan(best, new Explanation(hosts.size(), visited, fit, counts, best == null ? null : best.hostId())),
                bestIndex);
    }

    /** Whether the host passes every filter for the request as it is now: the applier's re-check of a chosen host. */
    public static boolean fits(PlacementRequest request, HostSnapshot host) {
        return firstRejection(request, host) == null;
    }

    private static Rejection firstRejection(PlacementRequest request, HostSnapshot host) {
        for (HostFilter filter : FILTERS) {
            Rejection rejection = filter.reject(request, host);
            if (rejection != null) {
                return rejection;
            }
        }
        return null;
    }
}
