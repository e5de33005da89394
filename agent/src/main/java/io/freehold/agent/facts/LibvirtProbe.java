package io.freehold.agent.facts;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;

import org.libvirt.Connect;
import org.libvirt.ErrorCallback;
import org.libvirt.LibvirtException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's read-only view of libvirt: library and hypervisor versions, and the number of guests. It never throws:
 * when the native library is missing or the URI does not answer, it says so once in the log and reports "unknown"
 * (empty), and it tries the URI again at most every {@code retryInterval}, so a libvirtd started after the agent is
 * picked up without a restart. A missing native library cannot be loaded later in the same JVM, so that case is
 * reported once and the agent needs a restart after {@code libvirt0} is installed.
 *
 * <p>Thread-safe: all methods are synchronized, which also keeps libvirt's per-thread error state simple.
 */
public final class LibvirtProbe implements AutoCloseable {

    /** What libvirt says about itself and the hypervisor behind the URI. */
    public record Versions(String libvirt, String hypervisorType, String hypervisor) {

        /** The hypervisor version only when the driver really is QEMU; the test driver's "version" means nothing. */
        public String qemu() {
            return hypervisorType.toUpperCase(Locale.ROOT).equals("QEMU") ? hypervisor : "";
        }
    }

    private static final Logger log = LoggerFactory.getLogger(LibvirtProbe.class);

    private final String uri;
    private final Duration retryInterval;
    private final Clock clock;
    private Connect connection;
    private boolean nativeLibraryMissing;
    private Instant nextAttempt = Instant.MIN;
    private String lastFailure;

    public LibvirtProbe(String uri, Duration retryInterval, Clock clock) {
        this.uri = uri;
        this.retryInterval = retryInterval;
        this.clock = clock;
    }

    public String uri() {
        return uri;
    }

    public synchronized Optional<Versions> versions() {
        Connect connect = connection();
        if (connect == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(new Versions(LibvirtVersion.format(connect.getLibVersion()), connect.getType(),
                    LibvirtVersion.format(connect.getVersion())));
        } catch (LibvirtException e) {
            lost(e);
            return Optional.empty();
        }
    }

    /** Running plus defined-but-stopped domains; empty when libvirt cannot be asked. */
    public synchronized OptionalInt guestCount() {
        Connect connect = connection();
        if (connect == null) {
            return OptionalInt.empty();
        }
        try {
            return OptionalInt.of(connect.numOfDomains() + connect.numOfDefinedDomains());
        } catch (LibvirtException e) {
            lost(e);
            return OptionalInt.empty();
        }
    }

    private Connect connection() {
        if (connection != null || nativeLibraryMissing || clock.instant().isBefore(nextAttempt)) {
            return connection;
        }
        try {
            // libvirt prints every error to stderr unless a callback takes it; the exception carries the same text.
            Connect.setErrorCallback(new ErrorCallback());
            connection = new Connect(uri, true);
            lastFailure = null;
            log.info("libvirt connected uri={} type={} version={}", uri, connection.getType(),
                    LibvirtVersion.format(connection.getLibVersion()));
            return connection;
        } catch (LinkageError e) {
            nativeLibraryMissing = true;
            log.error("libvirt unavailable uri={} reason=\"the native library libvirt.so.0 cannot be loaded ({}: {}); install the "
                    + "libvirt0 package and restart the agent\"", uri, e.getClass().getSimpleName(),
                    String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
        } catch (LibvirtException e) {
            nextAttempt = clock.instant().plus(retryInterval);
            String failure = String.valueOf(e.getMessage()).lines().findFirst().orElse("");
            if (!failure.equals(lastFailure)) {
                log.warn("libvirt unavailable uri={} reason=\"{}\" retry_every={}", uri, failure, retryInterval);
                lastFailure = failure;
            }
        }
        return null;
    }

    private void lost(LibvirtException e) {
        log.warn("libvirt connection lost uri={} reason=\"{}\"", uri, e.getMessage());
        close();
        lastFailure = e.getMessage();
        nextAttempt = clock.instant().plus(retryInterval);
    }

    @Override
    public synchronized void close() {
        if (connection != null) {
            try {
                connection.close();
            } catch (LibvirtException e) {
                log.debug("closing the libvirt connection failed: {}", e.getMessage());
            }
            connection = null;
        }
    }
}
