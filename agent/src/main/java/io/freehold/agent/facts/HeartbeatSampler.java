package io.freehold.agent.facts;

import java.nio.file.Path;
import java.time.Instant;

import com.google.protobuf.Timestamp;
import io.freehold.agent.v1.Heartbeat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Measures the utilisation a heartbeat carries: load, available memory, free guest storage and guest count. */
public final class HeartbeatSampler {

    private static final Logger log = LoggerFactory.getLogger(HeartbeatSampler.class);

    private final Path guestStorage;
    private final LibvirtProbe libvirt;

    public HeartbeatSampler(Path guestStorage, LibvirtProbe libvirt) {
        this.guestStorage = guestStorage;
        this.libvirt = libvirt;
    }

    public Heartbeat sample(Instant now) {
        return Heartbeat.newBuilder()
                .setSentAt(Timestamp.newBuilder().setSeconds(now.getEpochSecond()).setNanos(now.getNano()))
                .setLoadAverage1M(loadAverage())
                .setFreeMemoryBytes(HostFactsCollector.memInfo().availableBytes())
                .setFreeStorageBytes(StorageSpace.of(guestStorage).usableBytes())
                .setGuestCount(libvirt.guestCount().orElse(0))
                .build();
    }

    private static double loadAverage() {
        try {
            return LoadAverage.oneMinute(HostFiles.read(HostFiles.LOADAVG));
        } catch (IllegalArgumentException e) {
            log.warn("cannot parse /proc/loadavg reason=\"{}\"", e.getMessage());
            return 0;
        }
    }
}
