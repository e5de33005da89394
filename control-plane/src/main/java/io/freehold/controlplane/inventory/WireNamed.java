package io.freehold.controlplane.inventory;

import io.freehold.controlplane.platform.web.WireNames;

/** Reads back the enum constants that the stores write by their JSON names. */
final class WireNamed {

    private WireNamed() {
    }

    static <E extends Enum<E>> E parse(Class<E> type, String wireName) {
        for (E constant : type.getEnumConstants()) {
            if (WireNames.of(constant).equals(wireName)) {
                return constant;
            }
        }
        throw new IllegalArgumentException("no " + type.getSimpleName() + " is spelled " + wireName);
    }
}
