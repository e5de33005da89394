package io.freehold.agent;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.random.RandomGenerator;

import io.freehold.agent.config.AgentConfig;
import io.freehold.agent.facts.AgentVersion;
import io.freehold.agent.facts.HeartbeatSampler;
import io.freehold.agent.facts.HostFactsCollector;
import io.freehold.agent.facts.KvmDetection;
import io.freehold.agent.facts.LibvirtProbe;
import io.freehold.agent.guest.CommandRunner;
import io.freehold.agent.guest.GuestLedger;
import io.freehold.agent.guest.GuestWatcher;
import io.freehold.agent.identity.AgentIdentity;
import io.freehold.agent.identity.StateDirectory;
import io.freehold.agent.image.ImageCache;
import io.freehold.agent.link.AgentLink;
import io.freehold.agent.link.CertificateRenewal;
import io.freehold.agent.link.SessionChannel;
import io.freehold.agent.metrics.AgentMetrics;
import io.freehold.agent.metrics.MetricsEndpoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running agent ({@code freehold-agent run}): the stored identity, the metrics endpoint, the libvirt probe, the
 * image cache, the command runner and the link to the control plane, started together and stopped together. {@link #close()} is what SIGTERM triggers.
 */
public final class Agent implements AutoCloseable {

    /** How often an unreachable libvirt URI is tried again. */
    static final Duration LIBVIRT_RETRY = Duration.ofSeconds(30);
    /**
     * How often the guests are looked at between commands: a guest that stops or starts on its own is noticed within
     * this time, and its running time is measured to about this precision.
     */
    static final Duration GUEST_LOOK_INTERVAL = Duration.ofSeconds(1);

    private static final Logger log = LoggerFactory.getLogger(Agent.class);

    private final MetricsEndpoint endpoint;
    private final LibvirtProbe libvirt;
    private final CommandRunner commands;
    private final ImageCache images;
    private final AgentLink link;
    private final AgentMetrics metrics;
    private final CountDownLatch stopped = new CountDownLatch(1);

    private Agent(MetricsEndpoint endpoint, LibvirtProbe libvirt, CommandRunner commands, ImageCache images, AgentLink link,
                  AgentMetrics metrics) {
        this.endpoint = endpoint;
        this.libvirt = libvirt;
        this.commands = commands;
        this.images = images;
        this.link = link;
        this.metrics = metrics;
    }

    /**
     * Loads the identity and starts everything; returns once the link is connecting.
     *
     * @throws IllegalStateException when the host has not joined or its state is unreadable
     * @throws java.io.UncheckedIOException when the metrics address cannot be bound
     */
    public static Agent start(AgentConfig config) {
        LogContext.install();
        Clock clock = Clock.systemUTC();
        StateDirectory state = new StateDirectory(config.stateDir());
        AgentIdentity identity = state.load();
        String incarnation = UUID.randomUUID().toString();
        LogContext.identify(identity.hostId(), incarnation);
        createGuestStorage(config);

        AgentMetrics metrics = new AgentMetrics();
        MetricsEndpoint endpoint = MetricsEndpoint.start(config.metricsAddress(), metrics);
        LibvirtProbe libvirt = new LibvirtProbe(config.libvirtUri(), LIBVIRT_RETRY, clock);
        HostFactsCollector facts = new HostFactsCollector(config.guestStoragePath(), config.kvm(), libvirt, incarnation);
        HeartbeatSampler sampler = new HeartbeatSampler(config.guestStoragePath(), libvirt);
        CertificateRenewal credentials = new CertificateRenewal(state, identity, metrics);
        GuestWatcher guests = new GuestWatcher(GuestLedger.open(config.stateDir().resolve(GuestLedger.FILE_NAME), incarnation),
                clock, () -> System.nanoTime() / 1_000_000, HostFactsCollector.bootId());
        SessionChannel sessionChannel = new SessionChannel();
        ImageCache images = new ImageCache(config.guestStoragePath(), sessionChannel::current, metrics);
        CommandRunner commands = new CommandRunner(config.libvirtUri(), config.guestStoragePath(),
                () -> KvmDetection.probe(config.kvm()).usable(), images, guests, GUEST_LOOK_INTERVAL);
        AgentLink link = new AgentLink(config, credentials, facts, sampler, metrics, commands, guests, sessionChannel, clock,
                RandomGenerator.getDefault());
        log.info("agent starting version={} state_dir={} libvirt_uri={} metrics=http://{}:{}/metrics",
                AgentVersion.current(), config.stateDir(), config.libvirtUri(),
                config.metricsAddress().host(), endpoint.port());
        link.start();
        return new Agent(endpoint, libvirt, commands, images, link, metrics);
    }

    private static void createGuestStorage(AgentConfig config) {
        try {
            Files.createDirectories(config.guestStoragePath());
        } catch (IOException e) {
            log.warn("cannot create guest storage path={} reason=\"{}\"", config.guestStoragePath(), e.getMessage());
        }
    }

    public int metricsPort() {
        return endpoint.port();
    }

    public AgentMetrics metrics() {
        return metrics;
    }

    /** The image cache the command runner takes image parts from, fetching them over the current session. */
    public ImageCache images() {
        return images;
    }

    public void awaitStopped() throws InterruptedException {
        stopped.await();
    }

    /** Ends the session cleanly, stops the metrics endpoint and releases libvirt. Idempotent. */
    @Override
    public void close() {
        if (stopped.getCount() == 0) {
            return;
        }
        log.info("agent stopping");
        link.close();
        commands.close();
        endpoint.close();
        libvirt.close();
        log.info("agent stopped");
        stopped.countDown();
    }
}
