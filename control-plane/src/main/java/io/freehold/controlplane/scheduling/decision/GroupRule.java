package io.freehold.controlplane.scheduling.decision;

import java.util.HashSet;
import java.util.Set;

/**
 * A placement group's rule with where its members are now.
 *
 * @param memberRackIds the racks of the member hosts (unracked hosts are left out: each is a rack of its own)
 */
public record GroupRule(String groupId, GroupPolicy policy, Set<String> memberHostIds, Set<String> memberRackIds) {

    public GroupRule {
        memberHostIds = Set.copyOf(memberHostIds);
        memberRackIds = Set.copyOf(memberRackIds);
    }

    /** The rule once a member was placed on {@code host}, for the next request of a batch. */
    GroupRule with(HostSnapshot host) {
        Set<String> hosts = new HashSet<>(memberHostIds);
        hosts.add(host.hostId());
        Set<String> racks = new HashSet<>(memberRackIds);
        if (host.rackId() != null) {
            racks.add(host.rackId());
        }
        return new GroupRule(groupId, policy, hosts, racks);
    }
}
