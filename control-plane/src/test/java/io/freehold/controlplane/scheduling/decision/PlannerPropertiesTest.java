package io.freehold.controlplane.scheduling.decision;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import io.freehold.controlplane.inventory.HostState;
import io.freehold.controlplane.inventory.decision.Capacity.Resources;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

/**
 * Properties of every plan, for random clusters and random sequences of requests placed as one batch: no
 * host ever holds more than it may, no group rule is broken, "no fit" is said only when no host could take
 * the request, and an explanation's counts add up. Each of the 500 cases is generated from its own seed,
 * which a failure names, so a failing case can be replayed alone (docs/decisions/0002).
 */
class PlannerPropertiesTest {

    private static final int CASES = 500;
    private static final List<GroupPolicy> POLICIES = List.of(GroupPolicy.values());

    @Test
    void batchesNeverOvercommitBreakARuleOrMissAFit() {
        for (long caseSeed = 1; caseSeed <= CASES; caseSeed++) {
            Random random = new Random(caseSeed);
            List<HostSnapshot> hosts = cluster(random);
            List<PlacementRequest> requests = requests(random);
            long plannerSeed = random.nextLong();
            long replay = caseSeed;
            SoftAssertions.assertSoftly(softly -> check(softly, replay, hosts, requests, plannerSeed));
        }
    }

    private static void check(SoftAssertions softly, long caseSeed, List<HostSnapshot> hosts, List<PlacementRequest> requests, long seed) {
        List<Plan> plans = new Planner(8).placeAll(requests, new ClusterSnapshot(hosts), seed);

        Map<String, HostSnapshot> current = new HashMap<>();
        hosts.forEach(host -> current.put(host.hostId(), host));
        Map<String, List<HostSnapshot>> membersOf = new HashMap<>();
        for (int i = 0; i < requests.size(); i++) {
            PlacementRequest request = requests.get(i);
            PlacementRequest asSeen = withMembers(request, membersOf);
            Plan plan = plans.get(i);
            Explanation explanation = plan.explanation();
            String where = "case %d, request %d of %s on %s".formatted(caseSeed, i, requests, hosts);
            softly.assertThat(explanation.rejections().values().stream().mapToInt(Integer::intValue).sum() + explanation.hostsFit())
                    .as("counts of %s, %s", explanation, where).isEqualTo(explanation.hostsVisited());
            if (plan.host() == null) {
                softly.assertThat(current.values()).as("no host could take it: %s", where).noneMatch(host -> feasible(asSeen, host));
                softly.assertThat(explanation.hostsVisited()).as("every host visited: %s", where).isEqualTo(hosts.size());
                continue;
            }
            HostSnapshot chosen = current.get(plan.host().hostId());
            softly.assertThat(feasible(asSeen, chosen)).as("the chosen %s may take it: %s", chosen, where).isTrue();
            HostSnapshot after = chosen.plus(request.resources());
            softly.assertThat(after.free().vcpus()).as("vCPUs left: %s", where).isNotNegative();
            softly.assertThat(after.free().memoryMib()).as("MiB left: %s", where).isNotNegative();
            softly.assertThat(after.free().diskGib()).as("GiB left: %s", where).isNotNegative();
            current.put(after.hostId(), after);
            if (request.group() != null) {
                membersOf.computeIfAbsent(request.group().groupId(), id -> new ArrayList<>()).add(after);
            }
        }
    }

    /** The oracle: the rules written out again, independently of the filters. */
    private static boolean feasible(PlacementRequest request, HostSnapshot host) {
        boolean ready = host.state() == HostState.READY && !host.cordoned();
        boolean roomy = host.free().vcpus() >= request.resources().vcpus() && host.free().memoryMib() >= request.resources().memoryMib()
                && host.free().diskGib() >= request.resources().diskGib();
        boolean labelled = host.labels().entrySet().containsAll(request.requiredLabels().entrySet());
        return ready && roomy && labelled && allowedByGroup(request.group(), host);
    }

    private static boolean allowedByGroup(GroupRule group, HostSnapshot host) {
        if (group == null) {
            return true;
        }
        boolean onMemberHost = group.memberHostIds().contains(host.hostId());
        boolean inMemberRack = host.rackId() != null && group.memberRackIds().contains(host.rackId());
        boolean noMembers = group.memberHostIds().isEmpty();
        return switch (group.policy()) {
            case ANTI_AFFINITY_HOST -> !onMemberHost;
            case ANTI_AFFINITY_RACK -> !onMemberHost && !inMemberRack;
            case AFFINITY_HOST -> noMembers || onMemberHost;
            case AFFINITY_RACK -> noMembers || onMemberHost || inMemberRack;
        };
    }

    /** The request with its group's members as the batch placed them so far. */
    private static PlacementRequest withMembers(PlacementRequest request, Map<String, List<HostSnapshot>> membersOf) {
        if (request.group() == null) {
            return request;
        }
        GroupRule rule = request.group();
        for (HostSnapshot member : membersOf.getOrDefault(rule.groupId(), List.of())) {
            rule = rule.with(member);
        }
        return new PlacementRequest(request.consumerRef(), request.resources(), request.siteId(), request.requiredLabels(), rule,
                request.scoring());
    }

    /** 0 to 16 hosts: a quarter unreachable or cordoned, racks or none, two zones, any size, partly used. */
    private static List<HostSnapshot> cluster(Random random) {
        List<HostSnapshot> hosts = new ArrayList<>();
        int count = random.nextInt(17);
        for (int i = 0; i < count; i++) {
            int rack = random.nextInt(4);
            HostState state = random.nextInt(4) == 0 ? HostState.UNREACHABLE : HostState.READY;
            boolean cordoned = random.nextInt(4) == 0;
            int used = random.nextInt(9);
            hosts.add(new HostSnapshot("h-" + i, "s-1", rack == 0 ? null : "r-" + rack, state, cordoned,
                    Map.of("zone", random.nextBoolean() ? "a" : "b"),
                    new Resources(random.nextInt(49), random.nextInt(98_305), random.nextInt(2001)),
                    new Resources(used, used * 512L, used * 10L), 1));
        }
        return hosts;
    }

    /** 1 to 20 requests; 70 % in one of four groups (one per policy), so a batch often places several members of one group. */
    private static List<PlacementRequest> requests(Random random) {
        List<PlacementRequest> requests = new ArrayList<>();
        int count = 1 + random.nextInt(20);
        for (int i = 0; i < count; i++) {
            GroupPolicy policy = POLICIES.get(random.nextInt(POLICIES.size()));
            GroupRule rule = random.nextInt(10) < 3 ? null : new GroupRule("pg-" + policy, policy, Set.of(), Set.of());
            requests.add(new PlacementRequest("instance:i", new Resources(1 + random.nextInt(8), 1 + random.nextInt(8192), random.nextInt(201)),
                    null, random.nextBoolean() ? Map.of() : Map.of("zone", "a"), rule,
                    ScoringPolicy.values()[random.nextInt(ScoringPolicy.values().length)]));
        }
        return requests;
    }
}
