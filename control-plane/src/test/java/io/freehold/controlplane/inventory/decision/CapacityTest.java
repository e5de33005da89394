package io.freehold.controlplane.inventory.decision;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.List;

import io.freehold.controlplane.inventory.decision.Capacity.HostCapacity;
import io.freehold.controlplane.inventory.decision.Capacity.Ratios;
import io.freehold.controlplane.inventory.decision.Capacity.Resources;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CapacityTest {

    /** One resource at a time: allocatable = floor(max(0, physical − reserved) × ratio), free = allocatable − allocated. */
    @ParameterizedTest(name = "({0} − {1}) × {2} = {3}; minus {4} allocated leaves {5}")
    @CsvSource({
            // physical, reserved, ratio, allocatable, allocated, free
            "32,   2,   4.0,  120, 0,   120",
            "32,   2,   1.0,  30,  0,   30",
            "32,   2,   1.5,  45,  10,  35",
            "7,    0,   0.33, 2,   0,   2",
            "2,    4,   4.0,  0,   0,   0",
            "0,    1,   4.0,  0,   0,   0",
            "16,   0,   0.5,  8,   10,  -2"})
    void allocatableAndFreePerResource(long physical, long reserved, String ratio, long allocatable, long allocated, long free) {
        Resources same = new Resources(physical, physical, physical);
        Ratios ratios = new Ratios(new BigDecimal(ratio), new BigDecimal(ratio), new BigDecimal(ratio));

        HostCapacity capacity = Capacity.of(same, new Resources(reserved, reserved, reserved), ratios,
                new Resources(allocated, allocated, allocated));

        assertThat(capacity.allocatable()).isEqualTo(new Resources(allocatable, allocatable, allocatable));
        assertThat(capacity.free()).isEqualTo(new Resources(free, free, free));
        assertThat(capacity.overcommitted()).isEqualTo(free < 0);
    }

    @Test
    void eachResourceHasItsOwnRatio() {
        HostCapacity capacity = Capacity.of(new Resources(64, 262_144, 1_800), new Resources(2, 4_096, 50),
                new Ratios(new BigDecimal("4"), new BigDecimal("1.25"), new BigDecimal("1")), Resources.NONE);

        assertThat(capacity.allocatable()).isEqualTo(new Resources(248, 322_560, 1_750));
        assertThat(capacity.overcommitted()).isFalse();
    }

    @Test
    void oneResourceOverAllocatedFlagsTheHost() {
        HostCapacity capacity = Capacity.of(new Resources(8, 8_192, 100), Resources.NONE,
                new Ratios(BigDecimal.ONE, BigDecimal.ONE, BigDecimal.ONE), new Resources(1, 9_000, 1));

        assertThat(capacity.free()).isEqualTo(new Resources(7, -808, 99));
        assertThat(capacity.overcommitted()).isTrue();
    }

    @Test
    void totalsAddEveryHostButOnlySchedulableOnesToWhatNewWorkCanGet() {
        Ratios one = new Ratios(BigDecimal.ONE, BigDecimal.ONE, BigDecimal.ONE);
        HostCapacity ready = Capacity.of(new Resources(10, 1_000, 100), new Resources(2, 200, 20), one, Resources.NONE);
        HostCapacity cordoned = Capacity.of(new Resources(4, 400, 40), Resources.NONE, one, Resources.NONE);
        HostCapacity overcommitted = Capacity.of(new Resources(4, 400, 40), Resources.NONE, one, new Resources(5, 100, 10));

        Capacity.Totals totals = Capacity.total(List.of(new Capacity.Member(ready, true), new Capacity.Member(cordoned, false),
                new Capacity.Member(overcommitted, true)));

        assertThat(totals.hosts()).isEqualTo(3);
        assertThat(totals.physical()).isEqualTo(new Resources(18, 1_800, 180));
        assertThat(totals.reserved()).isEqualTo(new Resources(2, 200, 20));
        assertThat(totals.allocatable()).isEqualTo(new Resources(16, 1_600, 160));
        assertThat(totals.allocated()).isEqualTo(new Resources(5, 100, 10));
        assertThat(totals.free()).isEqualTo(new Resources(11, 1_500, 150));
        assertThat(totals.schedulableFree()).isEqualTo(new Resources(8, 1_100, 110));
    }

    @Test
    void noHostsAddUpToNothing() {
        Capacity.Totals totals = Capacity.total(List.of());

        assertThat(totals.hosts()).isZero();
        assertThat(totals.allocatable()).isEqualTo(Resources.NONE);
        assertThat(totals.schedulableFree()).isEqualTo(Resources.NONE);
    }
}
