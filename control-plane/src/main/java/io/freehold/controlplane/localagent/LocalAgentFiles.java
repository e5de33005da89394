package io.freehold.controlplane.localagent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

import io.freehold.controlplane.localagent.decision.LocalHypervisor;

/** What the control plane keeps in the local agent's directory: the agent's config, its pid, its log. */
final class LocalAgentFiles {

    /** One earlier generation of the log is kept; the agent logs a line per connection, so this lasts long. */
    private static final long LOG_ROTATE_BYTES = 10L * 1024 * 1024;

    private final LocalAgentProperties properties;

    LocalAgentFiles(LocalAgentProperties properties) {
        this.properties = properties;
    }

    /** Written anew at every start: the agent port and the hypervisor may differ from the last one. */
    void writeConfig(String controlPlaneAddress, LocalHypervisor hypervisor) throws IOException {
        Files.createDirectories(properties.directory());
        String yaml = "# Written by the all-in-one control plane at every start; edit freehold.local-agent.* instead.\n"
                + "control_plane_addresses: [" + quoted(controlPlaneAddress) + "]\n"
                + "state_dir: " + quoted(properties.stateDir().toString()) + "\n"
                + "guest_storage_path: " + quoted(hypervisor.guestStorage().toString()) + "\n"
                + "libvirt_uri: " + quoted(hypervisor.libvirtUri()) + "\n"
                + "metrics_address: " + quoted(properties.metricsAddress()) + "\n";
        Path temporary = Files.createTempFile(properties.directory(), "agent", ".yaml",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(temporary, yaml);
        Files.move(temporary, properties.config(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** The host id the agent wrote last at join, so its presence means the join completed. */
    Optional<String> joinedHostId() throws IOException {
        Path hostId = properties.stateDir().resolve("host-id");
        return Files.exists(hostId) ? Optional.of(Files.readString(hostId).strip()).filter(id -> !id.isEmpty()) : Optional.empty();
    }

    void writePid(long pid) throws IOException {
        Files.writeString(properties.pidFile(), pid + "\n");
    }

    Optional<Long> pid() throws IOException {
        if (!Files.exists(properties.pidFile())) {
            return Optional.empty();
        }
        try {
            return Optional.of(Long.parseLong(Files.readString(properties.pidFile()).strip()));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    void deletePid() throws IOException {
        Files.deleteIfExists(properties.pidFile());
    }

    void rotateLogIfLarge() throws IOException {
        Path log = properties.log();
        if (Files.exists(log) && Files.size(log) > LOG_ROTATE_BYTES) {
            Files.move(log, log.resolveSibling(log.getFileName() + ".1"), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** YAML's double-quoted scalar: only the backslash and the quote need escaping in a path or URI. */
    private static String quoted(String value) {
        return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
