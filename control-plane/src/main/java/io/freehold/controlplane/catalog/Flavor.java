package io.freehold.controlplane.catalog;

import java.time.Instant;

/**
 * A flavor, as stored and as operators see it. The sizes are fixed for the flavor's life.
 *
 * @param name unique among all flavors, such as {@code m1.small}
 * @param memoryMib at least 64
 * @param disabled offered to no tenant for new instances; existing instances are not affected
 */
public record Flavor(String id, String name, int vcpus, long memoryMib, long rootDiskGib, FlavorVisibility visibility,
                     boolean disabled, Instant createdAt, Instant updatedAt) {

    static final String ID_PREFIX = "fl";
}
