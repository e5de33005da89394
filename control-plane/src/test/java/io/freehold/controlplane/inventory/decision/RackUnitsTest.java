package io.freehold.controlplane.inventory.decision;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;

import io.freehold.controlplane.inventory.HostState;
import io.freehold.controlplane.inventory.decision.RackUnits.Occupant;
import io.freehold.controlplane.inventory.decision.RackUnits.Unit;
import io.freehold.controlplane.inventory.decision.RackUnits.UnitHost;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RackUnitsTest {

    private static final Occupant WEB = new Occupant("h-web", "web1", HostState.READY, 10, 2);
    private static final Occupant DB = new Occupant("h-db", null, HostState.REGISTERED, 20, 4);

    @ParameterizedTest(name = "a {1}U host at U{0} in a 42U rack fits: {2}")
    @CsvSource({"1, 1, true", "42, 1, true", "41, 2, true", "0, 1, false", "42, 2, false", "40, 4, false", "-3, 2, false"})
    void aSlotFitsWhenAllItsUnitsAreInTheRack(int position, int height, boolean fits) {
        assertThat(RackUnits.outside(42, position, height).isEmpty()).isEqualTo(fits);
    }

    @ParameterizedTest(name = "a {1}U slot at U{0} overlaps {2}")
    @CsvSource(nullValues = "-", value = {"8, 2, -", "9, 2, h-web", "11, 1, h-web", "12, 8, -", "12, 9, h-db", "23, 5, h-db", "24, 1, -"})
    void aSlotOverlapsAnyHostSharingAUnit(int position, int height, String occupant) {
        assertThat(RackUnits.overlap(List.of(WEB, DB), position, height, null).map(Occupant::hostId))
                .isEqualTo(Optional.ofNullable(occupant));
    }

    @Test
    void aHostMovingWithinItsRackDoesNotOverlapItself() {
        assertThat(RackUnits.overlap(List.of(WEB, DB), 11, 2, "h-web")).isEmpty();
    }

    @Test
    void aShorterRackNamesTheHostThatWouldStickOut() {
        assertThat(RackUnits.above(List.of(WEB, DB), 22).map(Occupant::hostId)).contains("h-db");
        assertThat(RackUnits.above(List.of(WEB, DB), 23)).isEmpty();
    }

    @Test
    void aBottomUpElevationLabelsUnitsAsTheyAreCounted() {
        List<Unit> units = RackUnits.elevation(4, false, List.of(new Occupant("h-a", "a", HostState.READY, 2, 2)));

        assertThat(units).containsExactly(
                new Unit(1, 1, null),
                new Unit(2, 2, new UnitHost("h-a", "a", HostState.READY, true)),
                new Unit(3, 3, new UnitHost("h-a", "a", HostState.READY, false)),
                new Unit(4, 4, null));
    }

    @Test
    void aTopDownElevationLabelsTheTopUnitOne() {
        List<Unit> units = RackUnits.elevation(4, true, List.of(new Occupant("h-a", "a", HostState.READY, 4, 1)));

        assertThat(units).extracting(Unit::label).containsExactly(4, 3, 2, 1);
        assertThat(units.get(3).host()).isEqualTo(new UnitHost("h-a", "a", HostState.READY, true));
    }
}
