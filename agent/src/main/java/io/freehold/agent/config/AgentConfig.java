package io.freehold.agent.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Everything the agent reads from its config file, with the documented defaults filled in. Immutable; the CLI's
 * {@code --state-dir} produces a copy through {@link #withStateDir}.
 *
 * @param controlPlaneAddresses where {@code run} connects, in rotation; empty means "the addresses stored at join"
 * @param stateDir              identity, certificates and CA bundle live here
 * @param guestStorage          disks and images; {@code null} means {@code <stateDir>/guests}
 * @param libvirtUri            e.g. {@code qemu:///system}, or {@code test:///default} that needs no daemon
 * @param metricsAddress        where the Prometheus exporter listens
 * @param kvm                   {@link KvmMode#OFF} never reports KVM as usable
 * @param reconnect             backoff tuning between sessions
 * @param welcomeTimeout        how long a Hello may wait for its Welcome before the session is given up
 * @param keepAlive             HTTP/2 ping interval that detects a dead link while the agent only sends; the control
 *                              plane must permit pings this often
 */
public record AgentConfig(List<HostPort> controlPlaneAddresses, Path stateDir, Path guestStorage, String libvirtUri,
                          HostPort metricsAddress, KvmMode kvm, Reconnect reconnect, Duration welcomeTimeout,
                          Duration keepAlive) {

    public static final Path DEFAULT_STATE_DIR = Path.of("/var/lib/freehold/agent");
    public static final String DEFAULT_LIBVIRT_URI = "qemu:///system";
    public static final HostPort DEFAULT_METRICS_ADDRESS = new HostPort("127.0.0.1", 9464);

    /**
     * Backoff between connection attempts: full jitter below a ceiling that starts at {@code initial} and doubles
     * up to {@code max}; a session that lasted {@code stableAfter} after its Welcome resets the ceiling.
     */
    public record Reconnect(Duration initial, Duration max, Duration stableAfter) {

        public static final Reconnect DEFAULT = new Reconnect(Duration.ofMillis(500), Duration.ofSeconds(30),
                Duration.ofSeconds(30));

        public Reconnect {
            if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
                throw new IllegalArgumentException("reconnect backoff needs 0 < initial <= max, got " + initial + " and " + max);
            }
        }
    }

    public AgentConfig {
        controlPlaneAddresses = List.copyOf(controlPlaneAddresses);
        Objects.requireNonNull(stateDir, "stateDir");
        Objects.requireNonNull(libvirtUri, "libvirtUri");
        Objects.requireNonNull(metricsAddress, "metricsAddress");
        Objects.requireNonNull(kvm, "kvm");
        Objects.requireNonNull(reconnect, "reconnect");
        Objects.requireNonNull(welcomeTimeout, "welcomeTimeout");
        Objects.requireNonNull(keepAlive, "keepAlive");
    }

    public static AgentConfig defaults() {
        return new AgentConfig(List.of(), DEFAULT_STATE_DIR, null, DEFAULT_LIBVIRT_URI, DEFAULT_METRICS_ADDRESS,
                KvmMode.AUTO, Reconnect.DEFAULT, Duration.ofSeconds(10), Duration.ofSeconds(30));
    }

    /** The guest storage path, derived from the state dir unless configured. */
    public Path guestStoragePath() {
        return guestStorage != null ? guestStorage : stateDir.resolve("guests");
    }

    public AgentConfig withStateDir(Path dir) {
        return new AgentConfig(controlPlaneAddresses, dir, guestStorage, libvirtUri, metricsAddress, kvm, reconnect,
                welcomeTimeout, keepAlive);
    }
}
