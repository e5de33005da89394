package io.freehold.agent.facts;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import io.freehold.agent.config.KvmMode;
import io.freehold.agent.v1.Heartbeat;
import io.freehold.agent.v1.HostFacts;
import io.freehold.agent.v1.ProtocolVersion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Facts and heartbeats measured on this machine's real /proc, with libvirt's daemon-less test driver. */
class HostFactsCollectorTest {

    @TempDir
    Path tmp;

    @Test
    void measuresThisMachine() {
        Path guests = tmp.resolve("not-yet-created/guests");
        try (LibvirtProbe libvirt = new LibvirtProbe("test:///default", Duration.ZERO, Clock.systemUTC())) {
            HostFacts facts = new HostFactsCollector(guests, KvmMode.AUTO, libvirt, "inc-1").collect();

            assertThat(facts.getCpuCores()).isGreaterThanOrEqualTo(1);
            assertThat(facts.getCpuThreads()).isGreaterThanOrEqualTo(facts.getCpuCores())
                    .isEqualTo(Runtime.getRuntime().availableProcessors());
            assertThat(facts.getCpuModel()).isNotBlank();
            assertThat(facts.getMemoryBytes()).isGreaterThan(64L * 1024 * 1024);
            assertThat(facts.getStoragePath()).isEqualTo(guests.toString());
            assertThat(facts.getStorageBytes()).as("measured on the nearest existing ancestor").isPositive();
            assertThat(facts.getHostname()).isNotBlank();
            assertThat(facts.getBootId()).matches("[0-9a-f-]{36}");
            assertThat(facts.getIncarnationId()).isEqualTo("inc-1");
            assertThat(facts.getOs()).isNotBlank();
            assertThat(facts.getArchitecture()).isEqualTo(Architecture.fromJvm(System.getProperty("os.arch")));
            assertThat(facts.getProtocolVersion()).isEqualTo(ProtocolVersion.PROTOCOL_VERSION_4);
            assertThat(facts.getAgentVersion()).matches("\\d+\\.\\d+\\.\\d+.*");
            assertThat(facts.getLibvirtUri()).isEqualTo("test:///default");
            assertThat(facts.getLibvirtVersion()).matches("\\d+\\.\\d+\\.\\d+");
            assertThat(facts.getQemuVersion()).as("the test driver is not QEMU").isEmpty();
        }
    }

    @Test
    void kvmOffIsNeverUsable() {
        try (LibvirtProbe libvirt = new LibvirtProbe("test:///default", Duration.ZERO, Clock.systemUTC())) {
            assertThat(new HostFactsCollector(tmp, KvmMode.OFF, libvirt, "inc").collect().getKvmUsable()).isFalse();
        }
    }

    @Test
    void heartbeatsCarryUtilisation() {
        try (LibvirtProbe libvirt = new LibvirtProbe("test:///default", Duration.ZERO, Clock.systemUTC())) {
            Instant now = Instant.parse("2026-11-28T12:00:00.250Z");

            Heartbeat heartbeat = new HeartbeatSampler(tmp, libvirt).sample(now);

            assertThat(heartbeat.getSentAt().getSeconds()).isEqualTo(now.getEpochSecond());
            assertThat(heartbeat.getSentAt().getNanos()).isEqualTo(250_000_000);
            assertThat(heartbeat.getLoadAverage1M()).isGreaterThanOrEqualTo(0);
            assertThat(heartbeat.getFreeMemoryBytes()).isPositive();
            assertThat(heartbeat.getFreeStorageBytes()).isPositive();
            assertThat(heartbeat.getGuestCount()).as("test:///default defines one domain, 'test'").isEqualTo(1);
        }
    }
}
