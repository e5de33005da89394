package io.freehold.controlplane.scheduling.decision;

import static io.freehold.controlplane.scheduling.decision.TestHosts.host;
import static io.freehold.controlplane.scheduling.decision.TestHosts.request;
import static io.freehold.controlplane.scheduling.decision.TestHosts.withAllocated;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import io.freehold.controlplane.inventory.HostState;
import io.freehold.controlplane.inventory.decision.Capacity.Resources;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Each filter on its own, as a table of named cases: the host, the request, and what the filter answers. */
class HostFiltersTest {

    private static final HostSnapshot PLAIN = host("h-1", "r-1", 16, 32_768, 500);

    @ParameterizedTest(name = "state: {0}, cordoned {1} -> {2}")
    @CsvSource(nullValues = "-", value = {
            "READY,       false, -",
            "READY,       true,  CORDONED",
            "UNREACHABLE, false, NOT_READY",
            "UNREACHABLE, true,  NOT_READY",
            "REGISTERED,  false, NOT_READY",
            "REVOKED,     false, NOT_READY"})
    void onlyReadyUncordonedHostsTakeWork(HostState state, boolean cordoned, Rejection expected) {
        HostSnapshot host = new HostSnapshot("h-1", "s-1", "r-1", state, cordoned, Map.of(), PLAIN.allocatable(), Resources.NONE, 1);

        assertThat(new StateFilter().reject(request(1, 1, 1), host)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "host in {0}, request for {1} -> {2}")
    @CsvSource(nullValues = "-", value = {
            "s-fra1, -,      -",
            "s-fra1, s-fra1, -",
            "s-fra1, s-ams1, OTHER_SITE"})
    void aSiteBoundRequestStaysInItsSite(String hostSite, String requestedSite, Rejection expected) {
        HostSnapshot host = new HostSnapshot("h-1", hostSite, "r-1", HostState.READY, false, Map.of(), PLAIN.allocatable(), Resources.NONE, 1);
        PlacementRequest request = new PlacementRequest("instance:i-1", new Resources(1, 1, 1), requestedSite, Map.of(), null, null);

        assertThat(new SiteFilter().reject(request, host)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(nullValues = "-", delimiter = '|', value = {
            "no labels asked                       | zone=a,disk=ssd | -           | -",
            "every asked label with its value       | zone=a,disk=ssd | zone=a      | -",
            "two asked labels                       | zone=a,disk=ssd | zone=a,disk=ssd | -",
            "a label with another value             | zone=a,disk=ssd | zone=b      | MISSING_LABELS",
            "a label the host lacks                 | zone=a          | gpu=a100    | MISSING_LABELS",
            "a host without labels                  | -               | zone=a      | MISSING_LABELS"})
    void aHostMustCarryEveryAskedLabelWithItsValue(String situation, String hostLabels, String asked, Rejection expected) {
        HostSnapshot host = new HostSnapshot("h-1", "s-1", "r-1", HostState.READY, false, labels(hostLabels), PLAIN.allocatable(),
                Resources.NONE, 1);
        PlacementRequest request = new PlacementRequest("instance:i-1", new Resources(1, 1, 1), null, labels(asked), null, null);

        assertThat(new LabelFilter().reject(request, host)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(nullValues = "-", delimiter = '|', value = {
            "an empty host                               | 0  | 0     | 0   | 4  | 8192  | 100 | -",
            "exactly what is left                        | 12 | 24576 | 400 | 4  | 8192  | 100 | -",
            "one vCPU short                              | 13 | 0     | 0   | 4  | 1     | 1   | INSUFFICIENT_VCPUS",
            "one MiB short                               | 0  | 24577 | 0   | 1  | 8192  | 1   | INSUFFICIENT_MEMORY",
            "one GiB short                               | 0  | 0     | 401 | 1  | 1     | 100 | INSUFFICIENT_DISK",
            "short of everything: vCPUs are named first  | 16 | 32768 | 500 | 1  | 1     | 1   | INSUFFICIENT_VCPUS",
            "short of memory and disk: memory first      | 0  | 32768 | 500 | 1  | 1     | 1   | INSUFFICIENT_MEMORY",
            "overcommitted by a lowered ratio            | 20 | 0     | 0   | 1  | 1     | 0   | INSUFFICIENT_VCPUS",
            "a diskless guest on a full disk             | 0  | 0     | 500 | 1  | 1     | 0   | -"})
    void aHostMustHaveRoomInEveryResource(String situation, long usedVcpus, long usedMemory, long usedDisk, long vcpus, long memory, long disk,
                                          Rejection expected) {
        HostSnapshot host = withAllocated(PLAIN, usedVcpus, usedMemory, usedDisk);

        assertThat(new CapacityFilter().reject(request(vcpus, memory, disk), host)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(nullValues = "-", delimiter = '|', value = {
            "anti-affinity-host: a host without members             | ANTI_AFFINITY_HOST | h-2,h-3 | r-2     | h-1 | r-1 | -",
            "anti-affinity-host: a member's host                    | ANTI_AFFINITY_HOST | h-1     | r-1     | h-1 | r-1 | ANTI_AFFINITY",
            "anti-affinity-host: another host in a member's rack    | ANTI_AFFINITY_HOST | h-2     | r-1     | h-1 | r-1 | -",
            "anti-affinity-rack: a member's rack                    | ANTI_AFFINITY_RACK | h-2     | r-1     | h-1 | r-1 | ANTI_AFFINITY",
            "anti-affinity-rack: another rack                       | ANTI_AFFINITY_RACK | h-2     | r-2     | h-1 | r-1 | -",
            "anti-affinity-rack: an unracked host is its own rack   | ANTI_AFFINITY_RACK | h-2     | r-1     | h-1 | -   | -",
            "anti-affinity-rack: an unracked member's own host      | ANTI_AFFINITY_RACK | h-1     | -       | h-1 | -   | ANTI_AFFINITY",
            "affinity-host: the first member goes anywhere          | AFFINITY_HOST      | -       | -       | h-1 | r-1 | -",
            "affinity-host: the members' host                       | AFFINITY_HOST      | h-1     | r-1     | h-1 | r-1 | -",
            "affinity-host: another host of the members' rack       | AFFINITY_HOST      | h-2     | r-1     | h-1 | r-1 | AFFINITY",
            "affinity-rack: the first member goes anywhere          | AFFINITY_RACK      | -       | -       | h-1 | r-1 | -",
            "affinity-rack: another host of the members' rack       | AFFINITY_RACK      | h-2     | r-1     | h-1 | r-1 | -",
            "affinity-rack: another rack                            | AFFINITY_RACK      | h-2     | r-2     | h-1 | r-1 | AFFINITY"})
    void aGroupsRuleIsHard(String situation, GroupPolicy policy, String memberHosts, String memberRacks, String hostId, String rackId,
                           Rejection expected) {
        HostSnapshot host = new HostSnapshot(hostId, "s-1", rackId, HostState.READY, false, Map.of(), PLAIN.allocatable(), Resources.NONE, 1);
        GroupRule rule = new GroupRule("pg-1", policy, set(memberHosts), set(memberRacks));
        PlacementRequest request = new PlacementRequest("instance:i-1", new Resources(1, 1, 1), null, Map.of(), rule, null);

        assertThat(new GroupFilter().reject(request, host)).isEqualTo(expected);
    }

    private static Map<String, String> labels(String spec) {
        if (spec == null) {
            return Map.of();
        }
        return Arrays.stream(spec.split(",")).map(pair -> pair.split("="))
                .collect(Collectors.toMap(pair -> pair[0], pair -> pair[1]));
    }

    private static Set<String> set(String spec) {
        return spec == null ? Set.of() : Set.of(spec.split(","));
    }
}
