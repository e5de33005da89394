package io.freehold.agent.facts;

import java.nio.file.Path;
import java.util.Objects;

import io.freehold.agent.config.KvmMode;
import io.freehold.agent.v1.HostFacts;
import io.freehold.agent.v1.ProtocolVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Measures this host's {@link HostFacts} afresh for each Join and Hello, so that added memory, a grown disk or a
 * libvirtd that came up late are reported on the next connection without restarting the agent.
 */
public final class HostFactsCollector {

    private static final Logger log = LoggerFactory.getLogger(HostFactsCollector.class);

    private final Path guestStorage;
    private final KvmMode kvmMode;
    private final LibvirtProbe libvirt;
    private final String incarnationId;
    private String lastKvmReason;

    /**
     * @param incarnationId random per process start, so the control plane can tell a restarted agent from a
     *                      reconnected one
     */
    public HostFactsCollector(Path guestStorage, KvmMode kvmMode, LibvirtProbe libvirt, String incarnationId) {
        this.guestStorage = Objects.requireNonNull(guestStorage);
        this.kvmMode = Objects.requireNonNull(kvmMode);
        this.libvirt = Objects.requireNonNull(libvirt);
        this.incarnationId = Objects.requireNonNull(incarnationId);
    }

    public HostFacts collect() {
        CpuInfo cpu = CpuInfo.parse(HostFiles.read(HostFiles.CPUINFO));
        MemInfo memory = memInfo();
        KvmDetection.Verdict kvm = KvmDetection.probe(kvmMode);
        logKvmOnChange(kvm);
        HostFacts.Builder facts = HostFacts.newBuilder()
                .setHostname(HostFiles.read(HostFiles.HOSTNAME).trim())
                .setCpuModel(cpu.model())
                .setCpuCores(cpu.cores())
                .setCpuThreads(cpu.threads())
                .setMemoryBytes(memory.totalBytes())
                .setStoragePath(guestStorage.toString())
                .setStorageBytes(StorageSpace.of(guestStorage).totalBytes())
                .setLibvirtUri(libvirt.uri())
                .setKvmUsable(kvm.usable())
                .setAgentVersion(AgentVersion.current())
                .setProtocolVersion(ProtocolVersion.PROTOCOL_VERSION_4)
                .setBootId(bootId())
                .setIncarnationId(incarnationId)
                .setOs(OsRelease.prettyName(HostFiles.osRelease()))
                .setArchitecture(Architecture.fromJvm(System.getProperty("os.arch")));
        libvirt.versions().ifPresent(v -> facts.setLibvirtVersion(v.libvirt()).setQemuVersion(v.qemu()));
        return facts.build();
    }

    /** This boot of the host: {@code /proc/sys/kernel/random/boot_id}, new at every reboot. */
    public static String bootId() {
        return HostFiles.read(HostFiles.BOOT_ID).trim();
    }

    static MemInfo memInfo() {
        try {
            return MemInfo.parse(HostFiles.read(HostFiles.MEMINFO));
        } catch (IllegalArgumentException e) {
            log.warn("cannot parse /proc/meminfo reason=\"{}\"", e.getMessage());
            return new MemInfo(0, 0);
        }
    }

    private synchronized void logKvmOnChange(KvmDetection.Verdict kvm) {
        if (!kvm.reason().equals(lastKvmReason)) {
            log.info("kvm usable={} reason=\"{}\"", kvm.usable(), kvm.reason());
            lastKvmReason = kvm.reason();
        }
    }
}
