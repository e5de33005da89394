package io.freehold.controlplane.inventory;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings under {@code freehold.inventory}.
 *
 * @param heartbeatInterval how often agents heartbeat (sent to them in Welcome)
 * @param missedHeartbeats after this many intervals without a heartbeat a READY host is UNREACHABLE
 * @param joinTokenLifetime default lifetime of a join token
 * @param defaults what a host gets when ops do not say otherwise
 */
@ConfigurationProperties("freehold.inventory")
public record InventoryProperties(
        Duration heartbeatInterval,
        int missedHeartbeats,
        Duration joinTokenLifetime,
        HostDefaults defaults) {

    public record HostDefaults(double cpuRatio, double memoryRatio, double diskRatio, int reservedVcpus,
                               long reservedMemoryMib, long reservedDiskGib) {
    }

    /** How long a READY host may stay silent. */
    public Duration silenceLimit() {
        return heartbeatInterval.multipliedBy(missedHeartbeats);
    }
}
