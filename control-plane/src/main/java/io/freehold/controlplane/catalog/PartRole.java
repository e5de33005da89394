package io.freehold.controlplane.catalog;

import java.util.Optional;

import com.fasterxml.jackson.annotation.JsonProperty;

/** What one file of an image is: the disk of a qcow2 image, or the kernel or initrd of a kernel+initrd one. */
public enum PartRole {
    @JsonProperty("disk")
    DISK,
    @JsonProperty("kernel")
    KERNEL,
    @JsonProperty("initrd")
    INITRD;

    /** The spelling in JSON, in paths and in the database. */
    public String wireName() {
        return name().toLowerCase();
    }

    /** The role a path segment names, if any. */
    static Optional<PartRole> fromWireName(String wireName) {
        for (PartRole role : values()) {
            if (role.wireName().equals(wireName)) {
                return Optional.of(role);
            }
        }
        return Optional.empty();
    }
}
