package io.freehold.controlplane.metering;

import java.time.Instant;

/**
 * One entry of an instance's lifecycle log as the API shows it.
 *
 * @param id         the entry's place in the log: ids grow in the order facts were recorded
 * @param source     {@code agent} (observed by the host) or {@code control-plane} (the API's delete)
 * @param occurredAt when it happened, by the control plane's clock, in whole seconds
 * @param hostId     the host that observed it; null for the API's facts
 */
public record LifecycleEventView(String id, String event, String source, Instant occurredAt, String hostId, long generation, int vcpus,
                                 long memoryMib, long rootDiskGib, Instant recordedAt) {
}
