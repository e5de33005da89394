package io.freehold.controlplane.inventory;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;

/**
 * A host as stored and as the ops API shows it: its rack slot, what ops said about it (names, labels,
 * overcommit ratios, resources reserved for the host OS), its state and cordon, and what its agent
 * measured and last reported.
 *
 * @param siteId the site of its rack; null while unracked
 * @param rackId null for a host that joined without a slot and was not racked since
 * @param positionU its lowest unit, counted from the bottom of the rack; null while unracked
 * @param version bumped by every change to what the host can hold, for placement's optimistic checks
 * @param facts what its agent measured at its last Hello; null until an agent connected
 * @param utilisation its latest heartbeat's measurements; null until the first heartbeat
 */
public record Host(
        String id,
        String siteId,
        String rackId,
        Integer positionU,
        int heightU,
        String hostname,
        String serial,
        String assetTag,
        String notes,
        Map<String, String> labels,
        BigDecimal cpuRatio,
        BigDecimal memoryRatio,
        BigDecimal diskRatio,
        int reservedVcpus,
        long reservedMemoryMib,
        long reservedDiskGib,
        HostState state,
        boolean cordoned,
        long version,
        HostFacts facts,
        HostUtilisation utilisation,
        Instant joinedAt,
        Instant lastHeartbeatAt,
        Instant createdAt,
        Instant updatedAt) {

    /** The name to show a person: the hostname, or the id until the host has one. */
    String displayName() {
        return hostname == null ? id : hostname;
    }
}
