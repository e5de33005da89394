package io.freehold.controlplane.inventory;

import java.util.List;

import io.freehold.controlplane.inventory.decision.RackUnits;

/**
 * A rack unit by unit, as the ops console draws it.
 *
 * @param units every unit from 1 (the bottom) to {@code heightU}, with its label and occupant
 */
public record RackElevation(String rackId, String name, int heightU, RackNumbering numbering, List<RackUnits.Unit> units) {
}
