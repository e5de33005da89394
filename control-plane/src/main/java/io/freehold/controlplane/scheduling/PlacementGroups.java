package io.freehold.controlplane.scheduling;

import io.freehold.controlplane.platform.ids.Base32;
import org.springframework.stereotype.Service;

/** Placement groups as other features see them: whether a tenant may put something in one. */
@Service
public class PlacementGroups {

    private final PlacementGroupStore groups;

    PlacementGroups(PlacementGroupStore groups) {
        this.groups = groups;
    }

    /**
     * Whether the group exists and is the tenant's; when it is, its row is taken {@code for share} until
     * the transaction ends, so that a concurrent delete waits and then sees the caller's reference.
     */
    public boolean holdOwnedBy(String tenantId, String groupId) {
        return Base32.isId(PlacementGroup.ID_PREFIX, groupId) && groups.holdOwnedBy(tenantId, groupId);
    }
}
