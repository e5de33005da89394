package io.freehold.controlplane.inventory.decision;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.freehold.controlplane.inventory.HostState;

/**
 * The units of one rack: whether a slot fits, what a new slot would overlap, and the elevation that
 * the ops console draws. Units are numbered 1..height from the bottom; a top-down rack only labels them
 * the other way round.
 */
public final class RackUnits {

    private RackUnits() {
    }

    /** A host in a rack: units {@code positionU} to {@code positionU + heightU - 1}. */
    public record Occupant(String hostId, String hostname, HostState state, int positionU, int heightU) {

        public int topU() {
            return positionU + heightU - 1;
        }

        boolean overlaps(int position, int height) {
            return position <= topU() && positionU <= position + height - 1;
        }

        /** How a person recognises it in a message: id, and hostname when it has one. */
        public String describe() {
            return "host " + hostId + (hostname == null ? "" : " (" + hostname + ")");
        }
    }

    /**
     * One unit of the elevation.
     *
     * @param unit counted from the bottom, 1..height
     * @param label the number printed on the rack at this unit
     * @param host what occupies it, or null when empty
     */
    public record Unit(int unit, int label, UnitHost host) {
    }

    /**
     * The host in a unit.
     *
     * @param firstUnit true at the host's position, its lowest unit
     */
    public record UnitHost(String id, String hostname, HostState state, boolean firstUnit) {
    }

    /** @return why units {@code position..position+height-1} do not fit a rack of {@code rackHeight}, or empty */
    public static Optional<String> outside(int rackHeight, int position, int height) {
        int top = position + height - 1;
        if (position < 1 || top > rackHeight) {
            return Optional.of("units " + position + "–" + top + " are outside the rack, whose units are 1–" + rackHeight);
        }
        return Optional.empty();
    }

    /** @return the first occupant, other than {@code movingHostId}, that the slot would overlap */
    public static Optional<Occupant> overlap(List<Occupant> occupants, int position, int height, String movingHostId) {
        return occupants.stream()
                .filter(occupant -> !occupant.hostId().equals(movingHostId))
                .filter(occupant -> occupant.overlaps(position, height))
                .findFirst();
    }

    /** @return the occupant reaching highest above {@code rackHeight}, if any would stick out of a rack that short */
    public static Optional<Occupant> above(List<Occupant> occupants, int rackHeight) {
        return occupants.stream()
                .filter(occupant -> occupant.topU() > rackHeight)
                .max((a, b) -> Integer.compare(a.topU(), b.topU()));
    }

    public static int label(int unit, int rackHeight, boolean topDown) {
        return topDown ? rackHeight - unit + 1 : unit;
    }

    /** Every unit from 1 to {@code rackHeight}, bottom first, with its label and occupant. */
    public static List<Unit> elevation(int rackHeight, boolean topDown, List<Occupant> occupants) {
        List<Unit> units = new ArrayList<>(rackHeight);
        for (int unit = 1; unit <= rackHeight; unit++) {
            int at = unit;
            UnitHost host = occupants.stream()
                    .filter(occupant -> occupant.overlaps(at, 1))
                    .findFirst()
                    .map(occupant -> new UnitHost(occupant.hostId(), occupant.hostname(), occupant.state(), occupant.positionU() == at))
                    .orElse(null);
            units.add(new Unit(unit, label(unit, rackHeight, topDown), host));
        }
        return units;
    }
}
