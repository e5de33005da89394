package io.freehold.controlplane.scheduling.decision;

import static io.freehold.controlplane.scheduling.decision.TestHosts.host;
import static io.freehold.controlplane.scheduling.decision.TestHosts.request;
import static io.freehold.controlplane.scheduling.decision.TestHosts.withAllocated;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;

import io.freehold.controlplane.inventory.HostState;
import io.freehold.controlplane.inventory.decision.Capacity.Resources;
import org.junit.jupiter.api.Test;

/** The planner as a whole: which host wins, what the explanation says, and how a batch accounts for itself. */
class PlannerTest {

    private final Planner planner = new Planner(64);

    @Test
    void whenNothingFitsEveryHostIsCountedOnceUnderTheFirstFilterThatTurnedItAway() {
        List<HostSnapshot> hosts = new ArrayList<>();
        hosts.add(withAllocated(host("h-full-1", "r-1", 16, 8192, 500), 0, 8000, 0));
        hosts.add(withAllocated(host("h-full-2", "r-1", 16, 8192, 500), 0, 8000, 0));
        hosts.add(withAllocated(host("h-full-3", "r-1", 16, 8192, 500), 16, 8192, 500));
        hosts.add(new HostSnapshot("h-cordoned", TestHosts.SITE, "r-2", HostState.READY, true, Map.of(), new Resources(16, 8192, 500),
                Resources.NONE, 1));
        hosts.add(new HostSnapshot("h-down", TestHosts.SITE, "r-2", HostState.UNREACHABLE, false, Map.of(), new Resources(16, 8192, 500),
                Resources.NONE, 1));

        Plan plan = planner.place(request(2, 1024, 10), new ClusterSnapshot(hosts), 7);

        assertThat(plan.hostId()).isEmpty();
        assertThat(plan.explanation().summary()).isEqualTo("0 of 5 hosts fit: 2 insufficient memory, 1 not ready, 1 cordoned, 1 insufficient vCPUs");
        assertThat(plan.explanation().rejections().values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(5);
    }

    @Test
    void anEmptyClusterSaysSo() {
        assertThat(planner.place(request(1, 1, 1), new ClusterSnapshot(List.of()), 1).explanation().summary())
                .isEqualTo("0 of 0 hosts fit: there are no hosts");
    }

    @Test
    void binPackingTakesTheFullestHostThatFitsAndSpreadingTheEmptiest() {
        List<HostSnapshot> hosts = List.of(
                withAllocated(host("h-empty", "r-1", 16, 16_384, 500), 0, 0, 0),
                withAllocated(host("h-half", "r-1", 16, 16_384, 500), 8, 8192, 250),
                withAllocated(host("h-nearly", "r-1", 16, 16_384, 500), 14, 14_336, 450));
        PlacementRequest packed = request(2, 2048, 50);
        PlacementRequest spread = new PlacementRequest("instance:i-1", packed.resources(), null, Map.of(), null, ScoringPolicy.SPREAD);

        assertThat(planner.place(packed, new ClusterSnapshot(hosts), 3).hostId()).contains("h-nearly");
        assertThat(planner.place(spread, new ClusterSnapshot(hosts), 3).hostId()).contains("h-empty");
        assertThat(planner.place(packed, new ClusterSnapshot(hosts), 3).explanation().summary())
                .isEqualTo("placed on h-nearly (3 of 3 hosts fit)");
    }

    @Test
    void theSameSeedGivesTheSameAnswerAndTiesGoToTheSmallerHostId() {
        List<HostSnapshot> identical = IntStream.range(0, 200).mapToObj(i -> host("h-%03d".formatted(i), "r-1", 8, 8192, 100)).toList();
        ClusterSnapshot snapshot = new ClusterSnapshot(identical);
        Planner small = new Planner(5);

        Plan first = small.place(request(1, 512, 1), snapshot, 42);

        assertThat(small.place(request(1, 512, 1), snapshot, 42)).isEqualTo(first);
        assertThat(planner.place(request(1, 512, 1), new ClusterSnapshot(identical.subList(0, 50)), 9).hostId()).contains("h-000");
    }

    @Test
    void thePlannerStopsAfterTheSampleAndSaysHowManyHostsItLookedAt() {
        List<HostSnapshot> hosts = IntStream.range(0, 1000).mapToObj(i -> host("h-%04d".formatted(i), "r-1", 8, 8192, 100)).toList();

        Explanation explanation = new Planner(10).place(request(1, 512, 1), new ClusterSnapshot(hosts), 5).explanation();

        assertThat(explanation.hostsFit()).isEqualTo(10);
        assertThat(explanation.hostsVisited()).isEqualTo(10);
        assertThat(explanation.summary()).matches("placed on h-\\d{4} \\(10 of the first 10 of 1000 hosts fit\\)");
    }

    @Test
    void differentSeedsVisitHostsInDifferentOrders() {
        List<HostSnapshot> hosts = IntStream.range(0, 1000).mapToObj(i -> host("h-%04d".formatted(i), "r-1", 8, 8192, 100)).toList();
        Planner firstFit = new Planner(1);

        Set<String> chosen = new HashSet<>();
        for (long seed = 0; seed < 20; seed++) {
            chosen.add(firstFit.place(request(1, 512, 1), new ClusterSnapshot(hosts), seed).hostId().orElseThrow());
        }
        assertThat(chosen).hasSizeGreaterThan(15);
    }

    @Test
    void aBatchSeesWhatItsEarlierRequestsTook() {
        ClusterSnapshot snapshot = new ClusterSnapshot(List.of(host("h-1", "r-1", 4, 4096, 100), host("h-2", "r-1", 4, 4096, 100)));

        List<Plan> plans = planner.placeAll(List.of(request(4, 4096, 100), request(4, 4096, 100), request(1, 1, 1)), snapshot, 1);

        assertThat(plans.get(0).hostId()).isPresent();
        assertThat(plans.get(1).hostId()).isPresent().isNotEqualTo(plans.get(0).hostId());
        assertThat(plans.get(2).hostId()).isEmpty();
        assertThat(plans.get(2).explanation().summary()).isEqualTo("0 of 2 hosts fit: 2 insufficient vCPUs");
    }

    @Test
    void aBatchKeepsAGroupsRuleAcrossItsOwnMembers() {
        ClusterSnapshot snapshot = new ClusterSnapshot(List.of(host("h-1", "r-1", 64, 65_536, 1000), host("h-2", "r-2", 64, 65_536, 1000),
                host("h-3", "r-2", 64, 65_536, 1000)));
        GroupRule rule = new GroupRule("pg-1", GroupPolicy.ANTI_AFFINITY_RACK, Set.of(), Set.of());
        PlacementRequest member = new PlacementRequest("instance:i-1", new Resources(1, 512, 1), null, Map.of(), rule, null);

        List<Plan> plans = planner.placeAll(List.of(member, member, member), snapshot, 1);

        assertThat(plans.subList(0, 2)).allSatisfy(plan -> assertThat(plan.hostId()).isPresent());
        assertThat(Set.of(plans.get(0).host().rackId(), plans.get(1).host().rackId())).containsExactlyInAnyOrder("r-1", "r-2");
        assertThat(plans.get(2).explanation().summary()).isEqualTo("0 of 3 hosts fit: 3 anti-affinity");
    }
}
