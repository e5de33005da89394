package io.freehold.agent.facts;

/** libvirt encodes versions as {@code major * 1,000,000 + minor * 1,000 + release}; people read {@code x.y.z}. */
public final class LibvirtVersion {

    private LibvirtVersion() {
    }

    public static String format(long encoded) {
        if (encoded < 0) {
            throw new IllegalArgumentException("a libvirt version is never negative: " + encoded);
        }
        return (encoded / 1_000_000) + "." + (encoded / 1_000 % 1_000) + "." + (encoded % 1_000);
    }
}
