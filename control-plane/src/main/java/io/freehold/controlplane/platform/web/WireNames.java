package io.freehold.controlplane.platform.web;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The JSON spelling of an enum constant: its {@code @JsonProperty} name when it has one. */
public final class WireNames {

    private WireNames() {
    }

    public static String of(Enum<?> constant) {
        try {
            JsonProperty property = constant.getDeclaringClass().getField(constant.name()).getAnnotation(JsonProperty.class);
            return property == null ? constant.name() : property.value();
        } catch (NoSuchFieldException e) {
            return constant.name();
        }
    }
}
