package io.freehold.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import io.freehold.controlplane.inventory.HostState;
import io.freehold.controlplane.inventory.decision.Capacity.Resources;
import io.freehold.controlplane.scheduling.decision.HostSnapshot;
import io.freehold.controlplane.scheduling.decision.PlacementRequest;
import io.freehold.controlplane.scheduling.decision.ScoringPolicy;

/**
 * A made-up but plausible fleet and request stream for the planner benchmark: four sites of 40-host
 * racks, three host shapes, hosts from empty to nearly full, a few cordoned or unreachable, half with
 * NVMe, and requests in the sizes of common flavors, some bound to a site, a label or spreading.
 */
final class SyntheticCluster {

    static final int SITES = 4;
    static final int HOSTS_PER_RACK = 40;
    /** vCPUs, MiB, GiB of the common flavor sizes, smallest first. */
    static final Resources[] FLAVORS = {new Resources(1, 1024, 10), new Resources(2, 4096, 20), new Resources(4, 8192, 40),
            new Resources(8, 32_768, 80), new Resources(16, 65_536, 160)};
    private static final Resources[] SHAPES = {new Resources(128, 245_760, 1800), new Resources(256, 491_520, 3600),
            new Resources(64, 122_880, 900)};

    private SyntheticCluster() {
    }

    static List<HostSnapshot> hosts(int count, long seed) {
        Random random = new Random(seed);
        List<HostSnapshot> hosts = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            Resources allocatable = SHAPES[random.nextInt(SHAPES.length)];
            double used = random.nextDouble() * 0.9;
            Resources allocated = new Resources((long) (allocatable.vcpus() * used), (long) (allocatable.memoryMib() * used),
                    (long) (allocatable.diskGib() * used));
            int roll = random.nextInt(100);
            HostState state = roll < 2 ? HostState.UNREACHABLE : HostState.READY;
            boolean cordoned = roll == 2;
            Map<String, String> labels = random.nextBoolean() ? Map.of("disk", "nvme") : Map.of("disk", "ssd");
            int rack = i / HOSTS_PER_RACK;
            hosts.add(new HostSnapshot("h-%05d".formatted(i), site(rack % SITES), "r-%04d".formatted(rack), state, cordoned, labels,
                    allocatable, allocated, 1));
        }
        return hosts;
    }

    /** 70 % unconstrained, 15 % bound to a site, 10 % needing a label, 5 % spreading. */
    static PlacementRequest request(Random random, int sequence) {
        Resources size = FLAVORS[random.nextInt(FLAVORS.length)];
        int roll = random.nextInt(100);
        String site = roll >= 70 && roll < 85 ? site(random.nextInt(SITES)) : null;
        Map<String, String> labels = roll >= 85 && roll < 95 ? Map.of("disk", "nvme") : Map.of();
        ScoringPolicy scoring = roll >= 95 ? ScoringPolicy.SPREAD : ScoringPolicy.BIN_PACK;
        return new PlacementRequest("instance:i-" + sequence, size, site, labels, null, scoring);
    }

    static String site(int index) {
        return "s-%d".formatted(index);
    }
}
