package io.freehold.controlplane.inventory;

/** Optional texts of requests (facility ids, serials, hostnames…): blank means none, and in updates clears. */
final class OptionalText {

    private OptionalText() {
    }

    /** In a create: the stripped text, or null when absent or blank. */
    static String of(String given) {
        return replaced(given, null);
    }

    /** In an update: absent keeps {@code current}, blank clears it, anything else is stripped. */
    static String replaced(String given, String current) {
        if (given == null) {
            return current;
        }
        String stripped = given.strip();
        return stripped.isEmpty() ? null : stripped;
    }
}
