package io.freehold.controlplane.catalog;

/**
 * A flavor as a tenant sees it: only what it needs to choose one. Whether the flavor is limited, and to
 * whom, is the operator's business.
 */
record AvailableFlavor(String id, String name, int vcpus, long memoryMib, long rootDiskGib) {

    static AvailableFlavor of(Flavor flavor) {
        return new AvailableFlavor(flavor.id(), flavor.name(), flavor.vcpus(), flavor.memoryMib(), flavor.rootDiskGib());
    }
}
