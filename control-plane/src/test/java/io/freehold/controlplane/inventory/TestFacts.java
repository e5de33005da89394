package io.freehold.controlplane.inventory;

/** Made-up facts, as an agent would report them at Hello. */
public final class TestFacts {

    static final long GIB = 1L << 30;

    private TestFacts() {
    }

    public static HostFacts of(String hostname, int cpuThreads, long memoryGib, long storageGib) {
        return new HostFacts(hostname, "AMD EPYC 9354 32-Core Processor", cpuThreads / 2, cpuThreads, memoryGib * GIB,
                "/var/lib/freehold/agent", storageGib * GIB, "qemu:///system", "9.0.0", "7.2.0", true, "0.1.0", 1,
                "boot-" + hostname, "incarnation-" + hostname, "Debian GNU/Linux 12 (bookworm)", "amd64");
    }
}
