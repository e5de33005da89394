package io.freehold.controlplane.platform.web;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.function.Predicate;

/**
 * Where a list starts and how long it is. Cursors are opaque to clients: the base64url form of the last
 * id they saw. Every list in the API orders by id, which sorts by creation time (see IdGenerator).
 *
 * @param limit at most this many items, 1 to {@value #MAX_LIMIT}
 * @param after the id to continue after, or null for the first page
 */
public record PageRequest(int limit, String after) {

    public static final int DEFAULT_LIMIT = 50;
    public static final int MAX_LIMIT = 500;
    private static final String CURSOR_VERSION = "c1:";

    /**
     * Parses the {@code limit} and {@code cursor} query parameters.
     *
     * @param isValidId recognises the ids of the listed kind, so a forged or foreign cursor is refused
     * @throws ApiProblem 400 naming the parameter when either is malformed
     */
    public static PageRequest parse(String limit, String cursor, Predicate<String> isValidId) {
        return new PageRequest(parseLimit(limit), parseCursor(cursor, isValidId));
    }

    private static int parseLimit(String limit) {
        if (limit == null) {
            return DEFAULT_LIMIT;
        }
        try {
            int value = Integer.parseInt(limit);
            if (value >= 1 && value <= MAX_LIMIT) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below like any other out-of-range value
        }
        throw ApiProblem.malformed("limit", "must be a whole number from 1 to " + MAX_LIMIT);
    }

    private static String parseCursor(String cursor, Predicate<String> isValidId) {
        if (cursor == null) {
            return null;
        }
        try {
            String decoded = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            if (decoded.startsWith(CURSOR_VERSION) && isValidId.test(decoded.substring(CURSOR_VERSION.length()))) {
                return decoded.substring(CURSOR_VERSION.length());
            }
        } catch (IllegalArgumentException e) {
            // not base64: reported below
        }
        throw ApiProblem.malformed("cursor", "is not a cursor this list returned");
    }

    static String cursorAfter(String id) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString((CURSOR_VERSION + id).getBytes(StandardCharsets.UTF_8));
    }

    /** How many rows a store should fetch: one more than the page, to learn whether another page exists. */
    public int fetchSize() {
        return limit + 1;
    }
}
