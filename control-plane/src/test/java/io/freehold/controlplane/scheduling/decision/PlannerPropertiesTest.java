package io.freehold.controlplane.scheduling.decision;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.freehold.controlplane.inventory.HostState;
import io.freehold.controlplane.inventory.decision.Capacity.Resources;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Properties of every plan, for random clusters and random sequences of requests placed as one batch: no
 * host ever holds more than it may, no group rule is broken, "no fit" is said only when no host could take
 * the request, and an explanation's counts add up.
 */
class PlannerPropertiesTest {

    private static final List<GroupPolicy> POLICIES = List.of(GroupPolicy.values());

    @Property(tries = 500)
    void batchesNeverOvercommitBreakARuleOrMissAFit(@ForAll("clusters") List<HostSnapshot> hosts, @ForAll("requests") List<PlacementRequest> requests,
                                                    @ForAll long seed) {
        List<Plan> plans = new Planner(8).placeAll(requests, new ClusterSnapshot(hosts), seed);

        Map<String, HostSnapshot> current = new HashMap<>();
        hosts.forEach(host -> current.put(host.hostId(), host));
        Map<String, List<HostSnapshot>> membersOf = new HashMap<>();
        for (int i = 0; i < requests.size(); i++) {
            PlacementRequest request = requests.get(i);
            PlacementRequest asSeen = withMembers(request, membersOf);
            Plan plan = plans.get(i);
            Explanation explanation = plan.explanation();
            assertThat(explanation.rejections().values().stream().mapToInt(Integer::intValue).sum() + explanation.hostsFit())
                    .as("counts of %s", explanation).isEqualTo(explanation.hostsVisited());
            if (plan.host() == null) {
                assertThat(current.values()).as("no host could take %s", request)
                        .noneMatch(host -> feasible(asSeen, host));
                assertThat(explanation.hostsVisited()).isEqualTo(hosts.size());
                continue;
            }
            HostSnapshot chosen = current.get(plan.host().hostId());
            assertThat(feasible(asSeen, chosen)).as("%s on %s", request, chosen).isTrue();
            HostSnapshot after = chosen.plus(request.resources());
            assertThat(after.free().vcpus()).isNotNegative();
            assertThat(after.free().memoryMib()).isNotNegative();
            assertThat(after.free().diskGib()).isNotNegative();
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

    @Provide
    Arbitrary<List<HostSnapshot>> clusters() {
        Arbitrary<HostSnapshot> host = Combinators.combine(
                Arbitraries.integers().between(0, 3),
                Arbitraries.of(HostState.READY, HostState.READY, HostState.READY, HostState.UNREACHABLE),
                Arbitraries.of(false, false, false, true),
                Arbitraries.of("a", "b"),
                Arbitraries.integers().between(0, 48),
                Arbitraries.integers().between(0, 98_304),
                Arbitraries.integers().between(0, 2000),
                Arbitraries.integers().between(0, 8)
        ).as((rack, state, cordoned, zone, vcpus, memory, disk, used) -> new HostSnapshot("h", "s-1", rack == 0 ? null : "r-" + rack,
                state, cordoned, Map.of("zone", zone), new Resources(vcpus, memory, disk), new Resources(used, used * 512L, used * 10L), 1));
        return host.list().ofMinSize(0).ofMaxSize(16).map(list -> {
            List<HostSnapshot> named = new ArrayList<>();
            for (int i = 0; i < list.size(); i++) {
                HostSnapshot h = list.get(i);
                named.add(new HostSnapshot("h-" + i, h.siteId(), h.rackId(), h.state(), h.cordoned(), h.labels(), h.allocatable(), h.allocated(),
                        h.version()));
            }
            return named;
        });
    }

    @Provide
    Arbitrary<List<PlacementRequest>> requests() {
        // One group per policy, so that a batch often places several members of one group.
        Arbitrary<GroupRule> group = Arbitraries.of(POLICIES).map(policy -> new GroupRule("pg-" + policy, policy, Set.of(), Set.of()));
        return Combinators.combine(
                Arbitraries.integers().between(1, 8),
                Arbitraries.integers().between(1, 8192),
                Arbitraries.integers().between(0, 200),
                Arbitraries.of(Map.<String, String>of(), Map.of("zone", "a")),
                group.injectNull(0.3),
                Arbitraries.of(ScoringPolicy.values())
        ).as((vcpus, memory, disk, labels, rule, scoring) -> new PlacementRequest("instance:i", new Resources(vcpus, memory, disk), null, labels,
                rule, scoring)).list().ofMinSize(1).ofMaxSize(20);
    }
}
