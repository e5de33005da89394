package io.freehold.controlplane.scheduling.decision;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

import io.freehold.controlplane.inventory.decision.Capacity.Resources;

/**
 * Whether a site survives the loss of a rack: for each rack, everything allocated on its hosts is planned,
 * largest first, onto the site's other hosts as they are (state, cordon, free capacity), one batch per rack.
 * Placement-group rules and label constraints of the displaced guests are not re-checked: the ledger keeps
 * a guest's size and host, not what it asked for.
 */
public final class RackLossHeadroom {

    /** One guest's hold on a host. */
    public record Hold(String consumerRef, String hostId, Resources resources) {
    }

    /**
     * @param unplaceable how many of the rack's guests would find no host
     * @param explanation why the first of them would not fit; null when all would
     */
    public record RackVerdict(String rackId, int hosts, int guests, int unplaceable, String explanation) {

        public boolean survivable() {
            return unplaceable == 0;
        }
    }

    private RackLossHeadroom() {
    }

    /** @param siteHosts every host of the site; @param holds what is allocated on them, in the order to re-place them */
    public static List<RackVerdict> of(List<HostSnapshot> siteHosts, List<Hold> holds, Planner planner, long seed) {
        Map<String, List<HostSnapshot>> racks = new LinkedHashMap<>();
        siteHosts.stream().filter(host -> host.rackId() != null).sorted((a, b) -> a.rackId().compareTo(b.rackId()))
                .forEach(host -> racks.computeIfAbsent(host.rackId(), rack -> new ArrayList<>()).add(host));
        List<RackVerdict> verdicts = new ArrayList<>();
        racks.forEach((rackId, lost) -> {
            Set<String> lostIds = lost.stream().map(HostSnapshot::hostId).collect(Collectors.toSet());
            List<HostSnapshot> remaining = siteHosts.stream().filter(host -> !Objects.equals(host.rackId(), rackId)).toList();
            List<PlacementRequest> displaced = holds.stream().filter(hold -> lostIds.contains(hold.hostId()))
                    .map(hold -> new PlacementRequest(hold.consumerRef(), hold.resources(), null, Map.of(), null, ScoringPolicy.BIN_PACK))
                    .toList();
            List<Plan> plans = planner.placeAll(displaced, new ClusterSnapshot(remaining), seed);
            List<Plan> failed = plans.stream().filter(plan -> plan.host() == null).toList();
            verdicts.add(new RackVerdict(rackId, lost.size(), displaced.size(), failed.size(),
                    failed.isEmpty() ? null : failed.get(0).explanation().summary()));
        });
        return verdicts;
    }
}
