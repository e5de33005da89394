package io.freehold.controlplane.inventory;

import java.time.Instant;

/** A room, cage, hall or floor inside a site; racks may stand in one. */
public record Location(String id, String siteId, String name, LocationKind kind, Instant createdAt, Instant updatedAt) {

    static final String ID_PREFIX = "loc";
}
