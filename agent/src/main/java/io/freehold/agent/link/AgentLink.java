package io.freehold.agent.link;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.random.RandomGenerator;

import io.freehold.agent.config.AgentConfig;
import io.freehold.agent.guest.CommandRunner;
import io.freehold.agent.guest.GuestWatcher;
import io.freehold.agent.config.HostPort;
import io.freehold.agent.facts.HeartbeatSampler;
import io.freehold.agent.facts.HostFactsCollector;
import io.freehold.agent.identity.AgentIdentity;
import io.freehold.agent.metrics.AgentMetrics;
import io.grpc.ManagedChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one session with some control-plane replica for as long as the agent runs: connects, waits for the
 * session to end, then reconnects to the next address in rotation after a jittered backoff ({@link Backoff}).
 * Each connection is built from the identity current at that moment, so a renewed certificate takes effect on the
 * next connection. Each attempt's channel is lent to image fetches while it lasts ({@link SessionChannel}). Guests are
 * never touched from here: losing the control plane changes nothing on the host.
 */
public final class AgentLink implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AgentLink.class);
    private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(2);

    private final AgentConfig config;
    private final CertificateRenewal credentials;
    private final HostFactsCollector facts;
    private final HeartbeatSampler sampler;
    private final AgentMetrics metrics;
    private final Clock clock;
    private final RandomGenerator random;
    private final CommandRunner commands;
    private final GuestWatcher guests;
    private final SessionChannel sessionChannel;
    private final Backoff backoff;
    private final ScheduledExecutorService sessionThread;
    private final Thread loop;
    private volatile boolean stopping;
    private volatile Session current;

    public AgentLink(AgentConfig config, CertificateRenewal credentials, HostFactsCollector facts, HeartbeatSampler sampler,
                     AgentMetrics metrics, CommandRunner commands, GuestWatcher guests, SessionChannel sessionChannel,
                     Clock clock, RandomGenerator random) {
        this.config = config;
        this.commands = commands;
        this.guests = guests;
        this.sessionChannel = sessionChannel;
        this.credentials = credentials;
        this.facts = facts;
        this.sampler = sampler;
        this.metrics = metrics;
        this.clock = clock;
        this.random = random;
        this.backoff = new Backoff(config.reconnect().initial(), config.reconnect().max());
        this.sessionThread = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "freehold-session"));
        this.loop = new Thread(this::run, "freehold-link");
        // Called on the command runner's thread: the session hops to its own before it touches the stream.
        guests.subscribe(view -> {
            metrics.pendingReports(view.pending().size());
            Session session = current;
            if (session != null) {
                session.ledgerChanged();
            }
        });
        metrics.pendingReports(guests.view().pending().size());
    }

    public void start() {
        loop.start();
    }

    /** The addresses in rotation: those configured, else those stored at join. */
    static List<HostPort> addresses(AgentConfig config, AgentIdentity identity) {
        return config.controlPlaneAddresses().isEmpty() ? identity.addresses() : config.controlPlaneAddresses();
    }

    private void run() {
        int retry = -1;
        int next = 0;
        while (!stopping) {
            AgentIdentity identity = credentials.current();
            List<HostPort> addresses = addresses(config, identity);
            if (addresses.isEmpty()) {
                log.error("no control-plane address: set control_plane_addresses in the config or join again");
                return;
            }
            HostPort address = addresses.get(Math.floorMod(next++, addresses.size()));
            if (!identity.notAfter().isAfter(clock.instant())) {
                log.error("certificate expired not_after={}; the control plane will refuse it, join the host again",
                        identity.notAfter());
            }
            Session.Outcome outcome = connect(address, identity);
            if (stopping) {
                return;
            }
            retry = Backoff.nextRetry(retry, outcome.welcomed(), outcome.lengthSinceWelcome(), config.reconnect().stableAfter());
            Duration delay = backoff.delay(retry, random.nextDouble());
            if (outcome.welcomed()) {
                log.info("session ended address={} lasted={} reason=\"{}\" reconnect_in={}", address, outcome.lengthSinceWelcome(),
                        FailureReason.of(outcome.error()), delay);
            } else {
                log.warn("connection failed address={} reason=\"{}\" retry_in={}", address, FailureReason.of(outcome.error()), delay);
            }
            try {
                Thread.sleep(delay.toMillis());
            } catch (InterruptedException e) {
                return;
            }
            metrics.reconnecting();
        }
    }

    private Session.Outcome connect(HostPort address, AgentIdentity identity) {
        ManagedChannel channel;
        try {
            channel = Channels.forSession(address, identity, config.keepAlive());
        } catch (RuntimeException e) {
            // A channel that cannot even be built (unusable key, bad address) is a failed attempt, not a dead link loop.
            return new Session.Outcome(false, Duration.ZERO, e);
        }
        Session session = new Session(channel, sessionThread, facts, sampler, credentials, metrics, commands, guests, clock,
                config.welcomeTimeout());
        current = session;
        sessionChannel.opened(channel);
        log.debug("connecting address={}", address);
        try {
            session.start();
            if (stopping) {
                session.close();
            }
            return session.ended().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Session.Outcome(false, Duration.ZERO, e);
        } catch (ExecutionException e) {
            return new Session.Outcome(false, Duration.ZERO, e.getCause());
        } finally {
            current = null;
            sessionChannel.closed();
            shutdown(channel);
        }
    }

    /** Ends the session cleanly (the control plane sees the stream completed, not cut) and stops reconnecting. */
    @Override
    public void close() {
        stopping = true;
        Session session = current;
        if (session != null) {
            session.close();
            try {
                session.ended().get(SHUTDOWN_GRACE.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException e) {
                log.warn("the control plane did not end the session within {}; cutting it", SHUTDOWN_GRACE);
            }
        }
        loop.interrupt();
        try {
            loop.join(SHUTDOWN_GRACE.toMillis() * 2);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        sessionThread.shutdownNow();
    }

    private static void shutdown(ManagedChannel channel) {
        channel.shutdown();
        try {
            if (!channel.awaitTermination(SHUTDOWN_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                channel.shutdownNow();
            }
        } catch (InterruptedException e) {
            channel.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
