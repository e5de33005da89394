package io.freehold.controlplane.inventory;

/** What a host is, as its agent measured it (CPU and memory from /proc, storage of the guest path). */
public record HostFacts(
        String hostname,
        String cpuModel,
        int cpuCores,
        int cpuThreads,
        long memoryBytes,
        String storagePath,
        long storageBytes,
        String libvirtUri,
        String libvirtVersion,
        String qemuVersion,
        boolean kvmUsable,
        String agentVersion,
        int protocolVersion,
        String bootId,
        String incarnationId,
        String os,
        String architecture) {
}
