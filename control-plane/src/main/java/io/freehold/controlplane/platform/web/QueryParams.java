package io.freehold.controlplane.platform.web;

import java.util.Arrays;
import java.util.stream.Collectors;

/** Parses query parameters whose values are enums spelled as in JSON. */
public final class QueryParams {

    private QueryParams() {
    }

    /** @return the constant whose wire name is {@code value}, or null when absent; 400 naming the parameter otherwise */
    public static <E extends Enum<E>> E enumValue(String parameter, String value, Class<E> type) {
        if (value == null) {
            return null;
        }
        return Arrays.stream(type.getEnumConstants())
                .filter(constant -> WireNames.of(constant).equals(value))
                .findFirst()
                .orElseThrow(() -> ApiProblem.malformed(parameter, "must be one of " + Arrays.stream(type.getEnumConstants())
                        .map(WireNames::of).collect(Collectors.joining(", "))));
    }
}
