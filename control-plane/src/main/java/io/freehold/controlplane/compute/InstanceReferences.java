package io.freehold.controlplane.compute;

import io.freehold.controlplane.catalog.FlavorReferences;
import io.freehold.controlplane.scheduling.GroupReferences;
import org.springframework.stereotype.Component;

/** Tells the catalog and placement which flavors and groups live instances still name, so neither is deleted under them. */
@Component
class InstanceReferences implements FlavorReferences, GroupReferences {

    private final InstanceStore instances;

    InstanceReferences(InstanceStore instances) {
        this.instances = instances;
    }

    @Override
    public long liveUsersOfFlavor(String flavorId) {
        return instances.liveUsingFlavor(flavorId);
    }

    @Override
    public long liveUsersOfGroup(String groupId) {
        return instances.liveInGroup(groupId);
    }
}
