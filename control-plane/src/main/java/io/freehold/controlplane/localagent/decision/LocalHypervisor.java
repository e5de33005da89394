package io.freehold.controlplane.localagent.decision;

import java.nio.file.Path;

/**
 * Which libvirt the local agent drives, and where its guests' disks live.
 *
 * @param libvirtUri what the agent connects to
 * @param guestStorage the agent's {@code guest_storage_path}
 * @param simulated true for libvirt's {@code test:///default} driver, whose guests are not real
 * @param reason why this one, for the log
 */
public record LocalHypervisor(String libvirtUri, Path guestStorage, boolean simulated, String reason) {

    public static final String SYSTEM = "qemu:///system";
    public static final String SESSION = "qemu:///session";
    public static final String SIMULATED = "test:///default";
    /**
     * QEMU runs as {@code libvirt-qemu} under the system daemon and cannot enter a home directory (mode
     * 0700), where the data dir usually is; so system guests keep their disks where a real agent keeps them.
     */
    public static final Path SYSTEM_GUEST_STORAGE = Path.of("/var/lib/freehold/agent/guests");

    /**
     * ARCHITECTURE §1: the system daemon when it answers and this process is root, the session daemon of
     * a user that is not root, otherwise the simulated hypervisor.
     *
     * @param configuredUri the operator's choice ({@code freehold.local-agent.libvirt-uri}); blank for automatic
     * @param directory the local agent's directory under the data dir
     */
    public static LocalHypervisor choose(String configuredUri, boolean root, boolean systemDaemonAnswers, boolean sessionDaemonAnswers,
                                         Path directory) {
        Path ownStorage = directory.resolve("guests");
        if (configuredUri != null && !configuredUri.isBlank()) {
            String uri = configuredUri.strip();
            return new LocalHypervisor(uri, uri.equals(SYSTEM) ? SYSTEM_GUEST_STORAGE : ownStorage, uri.startsWith("test:"),
                    "configured by freehold.local-agent.libvirt-uri");
        }
        if (root && systemDaemonAnswers) {
            return new LocalHypervisor(SYSTEM, SYSTEM_GUEST_STORAGE, false, "the system libvirt daemon answers");
        }
        if (!root && sessionDaemonAnswers) {
            return new LocalHypervisor(SESSION, ownStorage, false, "this user's session libvirt daemon answers");
        }
        String missing = root ? "no system libvirt daemon answers" : "no session libvirt daemon of this user answers";
        return new LocalHypervisor(SIMULATED, ownStorage, true, missing);
    }
}
