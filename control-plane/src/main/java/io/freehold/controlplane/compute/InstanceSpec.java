package io.freehold.controlplane.compute;

import java.util.List;

import io.freehold.controlplane.compute.decision.PowerSpec;
import io.freehold.controlplane.compute.decision.PowerState;
import io.freehold.controlplane.compute.decision.ResizeDecisions.Shape;

/**
 * What the tenant asked for. The image, keys, user data and placement group are fixed at create; the
 * power state, the reboot count and, by a resize, the flavor with its sizes change later.
 *
 * @param flavorId the flavor chosen; its sizes are copied here, so the instance keeps them whatever
 *                 happens to the flavor
 * @param imageRef the id of the image to boot, which the tenant named by id or by name at create
 * @param userData cloud-init user data, at most 64 KiB; null when none, and left out of lists
 * @param placementGroupId the tenant's placement group, or null
 * @param generation 1 at create, bumped by every change
 */
public record InstanceSpec(String flavorId, int vcpus, long memoryMib, long rootDiskGib, String imageRef, List<String> sshKeys,
                           String userData, String placementGroupId, long generation, PowerState powerState, long rebootCount) {

    public InstanceSpec {
        sshKeys = List.copyOf(sshKeys);
    }

    PowerSpec power() {
        return new PowerSpec(generation, powerState, rebootCount);
    }

    InstanceSpec with(PowerSpec power) {
        return new InstanceSpec(flavorId, vcpus, memoryMib, rootDiskGib, imageRef, sshKeys, userData, placementGroupId, power.generation(),
                power.powerState(), power.rebootCount());
    }

    Shape shape() {
        return new Shape(flavorId, vcpus, memoryMib, rootDiskGib);
    }

    InstanceSpec with(Shape shape, long newGeneration) {
        return new InstanceSpec(shape.flavorId(), shape.vcpus(), shape.memoryMib(), shape.rootDiskGib(), imageRef, sshKeys, userData,
                placementGroupId, newGeneration, powerState, rebootCount);
    }

    InstanceSpec withoutUserData() {
        return new InstanceSpec(flavorId, vcpus, memoryMib, rootDiskGib, imageRef, sshKeys, null, placementGroupId, generation, powerState,
                rebootCount);
    }
}
