package io.freehold.controlplane.catalog;

import java.util.EnumSet;
import java.util.Set;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * How an image boots, which decides the parts it is made of: a {@code qcow2} disk that boots itself, or a
 * {@code kernel+initrd} pair that the hypervisor boots directly with a kernel command line.
 */
public enum ImageFormat {
    @JsonProperty("qcow2")
    QCOW2("qcow2", EnumSet.of(PartRole.DISK)),
    @JsonProperty("kernel+initrd")
    KERNEL_INITRD("kernel+initrd", EnumSet.of(PartRole.KERNEL, PartRole.INITRD));

    private final String wireName;
    private final Set<PartRole> roles;

    ImageFormat(String wireName, Set<PartRole> roles) {
        this.wireName = wireName;
        this.roles = roles;
    }

    /** The spelling in JSON and in the database. */
    public String wireName() {
        return wireName;
    }

    /** Exactly the parts an image of this format has, one of each. */
    public Set<PartRole> roles() {
        return roles;
    }

    static ImageFormat fromWireName(String wireName) {
        for (ImageFormat format : values()) {
            if (format.wireName.equals(wireName)) {
                return format;
            }
        }
        throw new IllegalArgumentException("unknown image format " + wireName);
    }
}
