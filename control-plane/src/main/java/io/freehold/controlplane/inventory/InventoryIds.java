package io.freehold.controlplane.inventory;

import io.freehold.controlplane.platform.ids.Base32;
import io.freehold.controlplane.platform.web.ApiProblem;
import io.freehold.controlplane.platform.web.PageRequest;

/**
 * Checks the shape of inventory ids where they enter the API, so that a malformed one is refused the way
 * the place it came from calls for: a path id finds nothing (404), a body id names nothing (422 on its
 * field), a filter is malformed (400 on its parameter).
 */
final class InventoryIds {

    private InventoryIds() {
    }

    /** @throws ApiProblem 404 when {@code id} cannot be an id of {@code what} */
    static String inPath(String prefix, String what, String id) {
        if (!Base32.isId(prefix, id)) {
            throw ApiProblem.notFound(what, id);
        }
        return id;
    }

    /** @throws ApiProblem 422 on {@code field} when {@code id} cannot be an id of {@code what} */
    static String inBody(String prefix, String field, String what, String id) {
        if (!Base32.isId(prefix, id)) {
            throw ApiProblem.invalid(field, "no " + what + " " + id);
        }
        return id;
    }

    /** @return null for an absent filter; @throws ApiProblem 400 on {@code parameter} when it is not such an id */
    static String inQuery(String prefix, String parameter, String what, String id) {
        if (id == null) {
            return null;
        }
        if (!Base32.isId(prefix, id)) {
            throw ApiProblem.malformed(parameter, "must be a " + what + " id (" + prefix + "-…)");
        }
        return id;
    }

    static PageRequest page(String prefix, String limit, String cursor) {
        return PageRequest.parse(limit, cursor, id -> Base32.isId(prefix, id));
    }

}
