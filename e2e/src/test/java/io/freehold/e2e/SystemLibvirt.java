package io.freehold.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

/**
 * The host's libvirt daemon ({@code qemu:///system}), read and tidied with {@code virsh} as an operator would: its
 * domains outlive the agent that made them, which is what lets a test kill the agent and count them afterwards.
 */
final class SystemLibvirt {

    static final String URI = "qemu:///system";
    private static final Path GUEST_FILES = Path.of("/var/lib/freehold/e2e");

    private SystemLibvirt() {
    }

    /** Whether the daemon answers and its {@code default} network, which every Freehold guest plugs into, is active. */
    static boolean usable() {
        return Command.attempt(virsh("version")).status() == 0
                && Command.attempt(virsh("net-info", "default")).output().matches("(?s).*Active:\\s+yes.*");
    }

    /** The names of all domains, running or not. */
    static List<String> domainNames() {
        return Command.run(virsh("list", "--all", "--name")).lines().map(String::strip).filter(name -> !name.isEmpty()).toList();
    }

    /** {@code running}, {@code shut off}, … as {@code virsh domstate} says. */
    static String state(String domain) {
        return Command.run(virsh("domstate", domain)).strip();
    }

    /**
     * The running domain's id, which libvirt gives every start of a domain anew: the same id later means the guest was
     * never stopped and started again meanwhile.
     */
    static String runningId(String domain) {
        return Command.run(virsh("domid", domain)).strip();
    }

    /**
     * A new directory for an agent's state and guest files, removed when the test ends. Under {@code /var/lib/freehold},
     * because QEMU runs as {@code libvirt-qemu} and must reach the disks: never under {@code /root} or in a 0700 temp
     * dir, and not on a tmpfs, where the disks' {@code cache='none'} (O_DIRECT) fails.
     */
    static Path guestFilesDirectory(TestResources resources) throws IOException {
        Files.createDirectories(GUEST_FILES);
        Path directory = Files.createTempDirectory(GUEST_FILES, "agent-", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx--x--x")));
        resources.closeAtEnd(() -> TestResources.deleteRecursively(directory));
        return directory;
    }

    /** Stops and undefines the domain when the test ends, however it ends; a domain the test never saw made is no failure. */
    static void removeAtEnd(TestResources resources, String domain) {
        resources.closeAtEnd(() -> {
            Command.attempt(virsh("destroy", domain));
            Command.attempt(virsh("undefine", domain));
        });
    }

    private static List<String> virsh(String... arguments) {
        List<String> command = new ArrayList<>(List.of("virsh", "-c", URI));
        command.addAll(List.of(arguments));
        return command;
    }
}
