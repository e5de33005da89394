package io.freehold.controlplane.scheduling.decision;

import static io.freehold.controlplane.scheduling.decision.TestHosts.host;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import io.freehold.controlplane.inventory.HostState;
import io.freehold.controlplane.inventory.decision.Capacity.Resources;
import io.freehold.controlplane.scheduling.decision.RackLossHeadroom.Hold;
import io.freehold.controlplane.scheduling.decision.RackLossHeadroom.RackVerdict;
import org.junit.jupiter.api.Test;

class RackLossHeadroomTest {

    private final Planner planner = new Planner(64);

    @Test
    void aRackSurvivesWhenItsGuestsFitOnTheOtherRacksAndNotWhenOneIsTooBig() {
        List<HostSnapshot> hosts = List.of(
                TestHosts.withAllocated(host("h-a1", "r-a", 16, 16_384, 500), 5, 4096, 50),
                TestHosts.withAllocated(host("h-b1", "r-b", 16, 16_384, 500), 12, 12_288, 100),
                host("h-c1", "r-c", 16, 8192, 500));
        List<Hold> holds = List.of(
                new Hold("instance:big", "h-b1", new Resources(12, 12_288, 100)),
                new Hold("instance:small", "h-a1", new Resources(5, 4096, 50)));

        List<RackVerdict> verdicts = RackLossHeadroom.of(hosts, holds, planner, 0);

        assertThat(verdicts).extracting(RackVerdict::rackId).containsExactly("r-a", "r-b", "r-c");
        assertThat(verdicts.get(0)).isEqualTo(new RackVerdict("r-a", 1, 1, 0, null));
        assertThat(verdicts.get(1).survivable()).isFalse();
        assertThat(verdicts.get(1).unplaceable()).isEqualTo(1);
        assertThat(verdicts.get(1).explanation()).isEqualTo("0 of 2 hosts fit: 1 insufficient vCPUs, 1 insufficient memory");
        assertThat(verdicts.get(2)).isEqualTo(new RackVerdict("r-c", 1, 0, 0, null));
    }

    @Test
    void cordonedAndUnreachableHostsAreNoRefugeAndGuestsOfOneRackShareWhatIsLeft() {
        HostSnapshot cordoned = new HostSnapshot("h-b1", TestHosts.SITE, "r-b", HostState.READY, true, Map.of(), new Resources(64, 65_536, 1000),
                Resources.NONE, 1);
        HostSnapshot roomForOne = host("h-c1", "r-c", 4, 4096, 100);
        List<HostSnapshot> hosts = List.of(TestHosts.withAllocated(host("h-a1", "r-a", 16, 16_384, 500), 8, 8192, 100), cordoned, roomForOne);
        List<Hold> holds = List.of(
                new Hold("instance:one", "h-a1", new Resources(4, 4096, 50)),
                new Hold("instance:two", "h-a1", new Resources(4, 4096, 50)));

        RackVerdict rackA = RackLossHeadroom.of(hosts, holds, planner, 0).get(0);

        assertThat(rackA.guests()).isEqualTo(2);
        assertThat(rackA.unplaceable()).isEqualTo(1);
        assertThat(rackA.explanation()).isEqualTo("0 of 2 hosts fit: 1 cordoned, 1 insufficient vCPUs");
    }
}
