package io.freehold.controlplane.inventory;

import java.util.List;

import io.freehold.controlplane.inventory.decision.RackUnits;
import io.freehold.controlplane.platform.web.ApiProblem;
import io.freehold.controlplane.platform.web.FieldError;
import io.freehold.controlplane.platform.web.ProblemType;
import org.springframework.stereotype.Component;

/**
 * Claims units of a rack for a host. The caller holds the rack's row lock ({@link RackStore#lock}), so
 * the occupants read here cannot change before the claim commits: two requests for overlapping slots
 * are decided one after the other, and the second sees the first.
 */
@Component
class HostSlots {

    private final RackStore racks;

    HostSlots(RackStore racks) {
        this.racks = racks;
    }

    /**
     * @param movingHostId the host being moved, whose own units do not count as taken; null for a new one
     * @throws ApiProblem 422 on {@code positionU} when the slot leaves the rack, 409 naming the occupant when it is taken
     */
    void check(Rack lockedRack, int positionU, int heightU, String movingHostId) {
        RackUnits.outside(lockedRack.heightU(), positionU, heightU).ifPresent(reason -> {
            throw ApiProblem.invalid("positionU", reason + " of rack '" + lockedRack.name() + "'");
        });
        RackUnits.overlap(racks.occupants(lockedRack.id()), positionU, heightU, movingHostId).ifPresent(occupant -> {
            String taken = "units " + positionU + "–" + (positionU + heightU - 1) + " of rack '" + lockedRack.name() + "' overlap "
                    + occupant.describe() + " at units " + occupant.positionU() + "–" + occupant.topU();
            throw new ApiProblem(ProblemType.CONFLICT, taken, List.of(new FieldError("positionU", "taken by " + occupant.describe())));
        });
    }
}
