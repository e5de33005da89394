package io.freehold.controlplane.scheduling.decision;

/**
 * Last: set lookups over the group's members, needed only by requests in a group, and a host that has no
 * room is better reported as full than as breaking a rule it never got to.
 */
final class GroupFilter implements HostFilter {

    @Override
    public Rejection reject(PlacementRequest request, HostSnapshot host) {
        GroupRule group = request.group();
        if (group == null) {
            return null;
        }
        return switch (group.policy()) {
            case ANTI_AFFINITY_HOST -> group.memberHostIds().contains(host.hostId()) ? Rejection.ANTI_AFFINITY : null;
            case ANTI_AFFINITY_RACK -> group.memberHostIds().contains(host.hostId())
                    || host.rackId() != null && group.memberRackIds().contains(host.rackId()) ? Rejection.ANTI_AFFINITY : null;
            case AFFINITY_HOST -> group.memberHostIds().isEmpty() || group.memberHostIds().contains(host.hostId()) ? null : Rejection.AFFINITY;
            case AFFINITY_RACK -> group.memberHostIds().isEmpty() || group.memberHostIds().contains(host.hostId())
                    || host.rackId() != null && group.memberRackIds().contains(host.rackId()) ? null : Rejection.AFFINITY;
        };
    }
}
