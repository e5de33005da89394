package io.freehold.controlplane.scheduling.decision;

import static io.freehold.controlplane.scheduling.decision.TestHosts.host;
import static io.freehold.controlplane.scheduling.decision.TestHosts.withAllocated;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.freehold.controlplane.inventory.HostState;
import io.freehold.controlplane.inventory.decision.Capacity.Resources;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The applier's re-check of a batch against the chosen hosts as they are at commit. */
class CommitCheckTest {

    private static final GroupRule ANTI_HOST = new GroupRule("pg-1", GroupPolicy.ANTI_AFFINITY_HOST, Set.of(), Set.of());
    private static final GroupRule ANTI_RACK = new GroupRule("pg-1", GroupPolicy.ANTI_AFFINITY_RACK, Set.of(), Set.of());

    static Stream<Arguments> cases() {
        HostSnapshot roomy = host("h-1", "r-1", 16, 16_384, 500);
        HostSnapshot other = host("h-2", "r-2", 16, 16_384, 500);
        HostSnapshot sameRack = host("h-3", "r-1", 16, 16_384, 500);
        return Stream.of(
                Arguments.of("a host with room keeps every plan on it", List.of(ask("a", 4, null), ask("b", 4, null)),
                        List.of("h-1", "h-1"), List.of(roomy), List.of(0, 1), List.of()),
                Arguments.of("what earlier plans of the batch kept counts against later ones", List.of(ask("a", 10, null), ask("b", 10, null)),
                        List.of("h-1", "h-1"), List.of(roomy), List.of(0), List.of(1)),
                Arguments.of("a host that filled up since the snapshot sends its plans back", List.of(ask("a", 4, null)),
                        List.of("h-1"), List.of(withAllocated(roomy, 14, 0, 0)), List.of(), List.of(0)),
                Arguments.of("a host that is gone or held elsewhere sends its plans back", List.of(ask("a", 1, null), ask("b", 1, null)),
                        List.of("h-9", "h-1"), List.of(roomy), List.of(1), List.of(0)),
                Arguments.of("a host cordoned since the snapshot sends its plans back", List.of(ask("a", 1, null)),
                        List.of("h-1"), List.of(new HostSnapshot("h-1", TestHosts.SITE, "r-1", HostState.READY, true, Map.of(),
                                new Resources(16, 16_384, 500), Resources.NONE, 2)), List.of(), List.of(0)),
                Arguments.of("host anti-affinity sees the members the batch kept", List.of(ask("a", 1, ANTI_HOST), ask("b", 1, ANTI_HOST)),
                        List.of("h-1", "h-1"), List.of(roomy), List.of(0), List.of(1)),
                Arguments.of("host anti-affinity lets members onto different hosts", List.of(ask("a", 1, ANTI_HOST), ask("b", 1, ANTI_HOST)),
                        List.of("h-1", "h-2"), List.of(roomy, other), List.of(0, 1), List.of()),
                Arguments.of("rack anti-affinity sees the racks the batch used", List.of(ask("a", 1, ANTI_RACK), ask("b", 1, ANTI_RACK)),
                        List.of("h-1", "h-3"), List.of(roomy, sameRack), List.of(0), List.of(1)),
                Arguments.of("a member sent back leaves its rule as it was", List.of(ask("a", 20, ANTI_HOST), ask("b", 1, ANTI_HOST)),
                        List.of("h-1", "h-1"), List.of(roomy), List.of(1), List.of(0)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void keepsWhatStillFitsInPlanOrder(String name, List<PlacementRequest> requests, List<String> planned, List<HostSnapshot> locked,
                                       List<Integer> commit, List<Integer> retry) {
        CommitCheck.Outcome outcome = CommitCheck.check(requests, planned,
                locked.stream().collect(Collectors.toMap(HostSnapshot::hostId, Function.identity())));

        assertThat(outcome.commit()).as("committed").isEqualTo(commit);
        assertThat(outcome.retry()).as("planned again").isEqualTo(retry);
    }

    @Test
    void everyRequestNeedsItsPlan() {
        assertThatThrownBy(() -> CommitCheck.check(List.of(ask("a", 1, null)), List.of(), Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("1 requests but 0 plans");
    }

    private static PlacementRequest ask(String name, long vcpus, GroupRule group) {
        return new PlacementRequest("instance:i-" + name, new Resources(vcpus, 1024, 10), null, Map.of(), group, ScoringPolicy.BIN_PACK);
    }
}
