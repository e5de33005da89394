package io.freehold.controlplane.inventory;

import java.time.Instant;

/**
 * A data center, as stored and as the API shows it.
 *
 * @param timezone an IANA zone id such as {@code Europe/Berlin}, for people reading local times
 */
public record Site(String id, String name, String address, String timezone, Instant createdAt, Instant updatedAt) {

    static final String ID_PREFIX = "s";
}
