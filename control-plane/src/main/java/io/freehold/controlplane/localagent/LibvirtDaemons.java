package io.freehold.controlplane.localagent;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Whether a libvirt daemon answers on this machine: one of its sockets accepts a connection. Either the
 * monolithic libvirtd or the modular virtqemud will do, at the paths libvirt itself uses.
 */
final class LibvirtDaemons {

    private static final List<Path> SYSTEM_SOCKETS = List.of(
            Path.of("/run/libvirt/libvirt-sock"), Path.of("/run/libvirt/virtqemud-sock"),
            Path.of("/var/run/libvirt/libvirt-sock"), Path.of("/var/run/libvirt/virtqemud-sock"));

    private LibvirtDaemons() {
    }

    static boolean systemAnswers() {
        return SYSTEM_SOCKETS.stream().anyMatch(LibvirtDaemons::accepts);
    }

    static boolean sessionAnswers() {
        List<Path> sockets = new ArrayList<>();
        String runtime = System.getenv("XDG_RUNTIME_DIR");
        if (runtime != null && !runtime.isBlank()) {
            sockets.add(Path.of(runtime, "libvirt", "libvirt-sock"));
            sockets.add(Path.of(runtime, "libvirt", "virtqemud-sock"));
        }
        sockets.add(Path.of(System.getProperty("user.home"), ".cache", "libvirt", "libvirt-sock"));
        return sockets.stream().anyMatch(LibvirtDaemons::accepts);
    }

    /** By the effective uid, which owns {@code /proc/self}; a user name may be anything. */
    static boolean runningAsRoot() {
        try {
            return Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    private static boolean accepts(Path socket) {
        if (!Files.exists(socket)) {
            return false;
        }
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            return channel.connect(UnixDomainSocketAddress.of(socket));
        } catch (IOException e) {
            return false;
        }
    }
}
