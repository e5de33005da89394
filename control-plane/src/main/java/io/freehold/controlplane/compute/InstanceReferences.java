package io.freehold.controlplane.compute;

import io.freehold.controlplane.catalog.FlavorReferences;
import io.freehold.controlplane.catalog.ImageReferences;
import io.freehold.controlplane.scheduling.GroupReferences;
import org.springframework.stereotype.Component;

/** Tells the catalog and placement which flavors, images and groups live instances still name, so none is deleted under them. */
@Component
class InstanceReferences implements FlavorReferences, ImageReferences, GroupReferences {

    private final InstanceStore instances;

    InstanceReferences(InstanceStore instances) {
        this.instances = instances;
    }

    @Override
    public long liveUsersOfFlavor(String flavorId) {
        return instances.liveUsingFlavor(flavorId);
    }

    @Override
    public long liveUsersOfImage(String imageId) {
        return instances.liveUsingImage(imageId);
    }

    @Override
    public long liveUsersOfGroup(String groupId) {
        return instances.liveInGroup(groupId);
    }
}
