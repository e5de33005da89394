package io.freehold.controlplane.inventory;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * A rack, as stored and as the API shows it.
 *
 * @param locationId the location inside the site, or null
 * @param heightU units, numbered 1..heightU from the bottom whatever the {@code numbering} of its labels
 * @param powerBudgetKw what the facility may feed it, or null when unknown
 */
public record Rack(
        String id,
        String siteId,
        String locationId,
        String name,
        String facilityId,
        String assetTag,
        String row,
        int heightU,
        RackNumbering numbering,
        BigDecimal powerBudgetKw,
        RackStatus status,
        Instant createdAt,
        Instant updatedAt) {

    static final String ID_PREFIX = "r";
}
