package io.freehold.controlplane.scheduling;

/**
 * What refers to placement groups besides allocations, as the feature that refers to them (instances)
 * counts it: an instance waiting for a host is in its group before it is a member.
 */
public interface GroupReferences {

    /**
     * How many live (not deleted) things name the group. Called with the group's row locked {@code for
     * update}; whatever starts naming a group takes that row {@code for share} first ({@link
     * PlacementGroups#holdOwnedBy}), so the count cannot grow before the delete commits.
     */
    long liveUsersOfGroup(String groupId);
}
