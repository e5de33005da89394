package io.freehold.controlplane.scheduling.decision;

import io.freehold.controlplane.inventory.decision.Capacity.Resources;

/**
 * Fourth: arithmetic on what is allocatable and allocated. A host short in several resources is counted
 * under the first of vCPUs, memory, disk, so every host is counted once. An overcommitted host (a ratio
 * was lowered below what it holds) has negative free capacity and takes nothing.
 */
final class CapacityFilter implements HostFilter {

    @Override
    public Rejection reject(PlacementRequest request, HostSnapshot host) {
        Resources wanted = request.resources();
        Resources allocatable = host.allocatable();
        Resources allocated = host.allocated();
        if (allocatable.vcpus() - allocated.vcpus() < wanted.vcpus()) {
            return Rejection.INSUFFICIENT_VCPUS;
        }
        if (allocatable.memoryMib() - allocated.memoryMib() < wanted.memoryMib()) {
            return Rejection.INSUFFICIENT_MEMORY;
        }
        return allocatable.diskGib() - allocated.diskGib() < wanted.diskGib() ? Rejection.INSUFFICIENT_DISK : null;
    }
}
