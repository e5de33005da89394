package io.freehold.controlplane.inventory;

import java.util.List;
import java.util.stream.Collectors;

/** Words for what a site, location or rack still holds, naming the first few, for the 409 that refuses its deletion. */
final class Holdings {

    private static final int NAMED = 5;

    private Holdings() {
    }

    /** @return e.g. {@code 2 racks ('r1', 'r2')}, or empty when there are none */
    static String describe(List<String> names, String noun) {
        if (names.isEmpty()) {
            return "";
        }
        String listed = names.stream().limit(NAMED).collect(Collectors.joining(", "));
        return names.size() + " " + noun + (names.size() == 1 ? "" : "s") + " (" + listed + (names.size() > NAMED ? ", …" : "") + ")";
    }

    static List<String> quoted(List<String> names) {
        return names.stream().map(name -> "'" + name + "'").toList();
    }
}
