package io.freehold.agent.link;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import com.google.protobuf.Timestamp;
import io.freehold.agent.facts.HeartbeatSampler;
import io.freehold.agent.facts.HostFactsCollector;
import io.freehold.agent.metrics.AgentMetrics;
import io.freehold.agent.guest.CommandRunner;
import io.freehold.agent.v1.AgentMessage;
import io.freehold.agent.v1.AgentServiceGrpc;
import io.freehold.agent.v1.ControlMessage;
import io.freehold.agent.v1.Hello;
import io.freehold.agent.v1.Welcome;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@code Connect} stream: Hello, then Welcome within the welcome timeout, then heartbeats at the interval the
 * Welcome names and a RenewRequest when the certificate reaches two thirds of its life; commands go to the
 * {@link CommandRunner} and their results come back on this stream. Every step runs on the
 * link's single scheduler thread — gRPC's request observer is not thread-safe, and one thread needs no locks.
 * The session ends when either side ends the stream; {@link #ended()} then completes with how it went.
 */
final class Session implements StreamObserver<ControlMessage> {

    /** How a session went, for the backoff decision. */
    record Outcome(boolean welcomed, Duration lengthSinceWelcome, Throwable error) {
    }

    static final Duration DEFAULT_HEARTBEAT = Duration.ofSeconds(5);
    static final Duration MIN_HEARTBEAT = Duration.ofMillis(100);

    private static final Logger log = LoggerFactory.getLogger(Session.class);

    private final ManagedChannel channel;
    private final ScheduledExecutorService thread;
    private final HostFactsCollector facts;
    private final HeartbeatSampler sampler;
    private final CertificateRenewal renewal;
    private final AgentMetrics metrics;
    private final CommandRunner commands;
    private final Clock clock;
    private final Duration welcomeTimeout;
    private final CompletableFuture<Outcome> ended = new CompletableFuture<>();
    private final List<ScheduledFuture<?>> timers = new ArrayList<>();
    private ScheduledFuture<?> renewalTimer;
    private StreamObserver<AgentMessage> requests;
    private Instant helloSentAt;
    private Instant welcomedAt;
    private boolean halfClosed;
    private boolean closed;

    Session(ManagedChannel channel, ScheduledExecutorService thread, HostFactsCollector facts, HeartbeatSampler sampler,
            CertificateRenewal renewal, AgentMetrics metrics, CommandRunner commands, Clock clock, Duration welcomeTimeout) {
        this.channel = channel;
        this.thread = thread;
        this.facts = facts;
        this.sampler = sampler;
        this.renewal = renewal;
        this.metrics = metrics;
        this.commands = commands;
        this.clock = clock;
        this.welcomeTimeout = welcomeTimeout;
    }

    CompletableFuture<Outcome> ended() {
        return ended;
    }

    /** Opens the stream and says Hello. */
    void start() {
        onSessionThread(() -> {
            requests = AgentServiceGrpc.newStub(channel).connect(this);
            helloSentAt = clock.instant();
            send(AgentMessage.newBuilder().setHello(Hello.newBuilder()
                    .setFacts(facts.collect())
                    .setSentAt(timestamp(helloSentAt))
                    .setLastAppliedSeq(0)).build());
            timers.add(thread.schedule(guarded(this::welcomeOverdue), welcomeTimeout.toMillis(), TimeUnit.MILLISECONDS));
        });
    }

    /**
     * Ends the stream from the agent's side, as a clean shutdown does: stops sending and half-closes; the session
     * ends when the control plane completes its side in turn (or the caller gives up waiting and cuts the channel).
     */
    void close() {
        onSessionThread(() -> {
            timers.forEach(timer -> timer.cancel(false));
            halfClose();
            if (requests == null) {
                finish(null);
            }
        });
    }

    @Override
    public void onNext(ControlMessage message) {
        onSessionThread(() -> {
            if (closed) {
                return;
            }
            switch (message.getBodyCase()) {
                case WELCOME -> welcomed(message.getWelcome());
                case RENEW_RESPONSE -> {
                    if (renewal.accept(message.getRenewResponse(), clock.instant())) {
                        scheduleRenewal();
                    }
                }
                // The answer goes out on this session if it still stands; otherwise the command comes again on the next one.
                case COMMAND -> commands.submit(message.getCommand(),
                        result -> onSessionThread(() -> send(AgentMessage.newBuilder().setCommandResult(result).build())));
                default -> log.debug("ignoring a control message the agent does not know body={}", message.getBodyCase());
            }
        });
    }

    @Override
    public void onError(Throwable error) {
        onSessionThread(() -> finish(error));
    }

    @Override
    public void onCompleted() {
        onSessionThread(() -> {
            halfClose();
            finish(null);
        });
    }

    private void halfClose() {
        if (requests != null && !halfClosed && !closed) {
            halfClosed = true;
            requests.onCompleted();
        }
    }

    /** Runs on the session thread; once the agent has stopped that thread, late gRPC callbacks have nothing to do. */
    private void onSessionThread(Runnable step) {
        try {
            thread.execute(guarded(step));
        } catch (RejectedExecutionException e) {
            ended.complete(new Outcome(false, Duration.ZERO, e));
        }
    }

    /**
     * A step that cannot fail silently: an executor swallows a task's exception (and stops a periodic one), which
     * would leave the link waiting forever on a session that no longer does anything. A failed step ends the session.
     */
    private Runnable guarded(Runnable step) {
        return () -> {
            try {
                step.run();
            } catch (RuntimeException e) {
                log.error("session step failed, ending the session reason=\"{}\"", e.toString(), e);
                if (requests != null && !closed) {
                    requests.onError(e);
                }
                finish(e);
            }
        };
    }

    private void welcomed(Welcome welcome) {
        if (welcomedAt != null || halfClosed) {
            return;
        }
        welcomedAt = clock.instant();
        metrics.connected(true);
        metrics.welcomed(Duration.between(helloSentAt, welcomedAt));
        Duration interval = heartbeatInterval(welcome);
        String hostId = renewal.current().hostId();
        if (!welcome.getHostId().isEmpty() && !welcome.getHostId().equals(hostId)) {
            log.warn("control plane names another host host_id_welcome={} host_id_stored={}", welcome.getHostId(), hostId);
        }
        log.info("connected address={} heartbeat_interval={} server_time={}", channel.authority(), interval,
                Instant.ofEpochSecond(welcome.getServerTime().getSeconds(), welcome.getServerTime().getNanos()));
        timers.add(thread.scheduleAtFixedRate(guarded(this::heartbeat), interval.toMillis(), interval.toMillis(),
                TimeUnit.MILLISECONDS));
        scheduleRenewal();
    }

    /** The interval the control plane asks for; a missing or absurd one falls back rather than spinning. */
    static Duration heartbeatInterval(Welcome welcome) {
        if (!welcome.hasHeartbeatInterval()) {
            return DEFAULT_HEARTBEAT;
        }
        Duration asked = Duration.ofSeconds(welcome.getHeartbeatInterval().getSeconds(), welcome.getHeartbeatInterval().getNanos());
        if (asked.isZero() || asked.isNegative()) {
            return DEFAULT_HEARTBEAT;
        }
        return asked.compareTo(MIN_HEARTBEAT) < 0 ? MIN_HEARTBEAT : asked;
    }

    private void heartbeat() {
        if (send(AgentMessage.newBuilder().setHeartbeat(sampler.sample(clock.instant())).build())) {
            metrics.heartbeatSent();
        }
    }

    /** Plans the next renewal step for the certificate now in use; one renewal timer at a time. */
    private void scheduleRenewal() {
        scheduleRenewalStep(Duration.between(clock.instant(), renewal.renewAt()));
    }

    private void scheduleRenewalStep(Duration delay) {
        if (renewalTimer != null) {
            renewalTimer.cancel(false);
        }
        // Rounded up: a timer that fires a fraction early would find renewal not yet due.
        long millis = Math.max(0, delay.plusNanos(999_999).toMillis());
        renewalTimer = thread.schedule(guarded(this::renewIfDue), millis, TimeUnit.MILLISECONDS);
        timers.add(renewalTimer);
    }

    private void renewIfDue() {
        if (closed || halfClosed) {
            return;
        }
        Instant now = clock.instant();
        if (now.isBefore(renewal.renewAt())) {
            scheduleRenewal();
            return;
        }
        log.info("renewing certificate not_after={}", renewal.current().notAfter());
        send(renewal.request());
        scheduleRenewalStep(RenewalTiming.retryAfter(now, renewal.current().notAfter()));
    }

    private void welcomeOverdue() {
        if (welcomedAt == null && !closed) {
            log.warn("no Welcome within {}; giving up this session address={}", welcomeTimeout, channel.authority());
            requests.onError(Status.DEADLINE_EXCEEDED.withDescription("no Welcome in time").asRuntimeException());
            finish(new IllegalStateException("no Welcome within " + welcomeTimeout));
        }
    }

    private boolean send(AgentMessage message) {
        if (closed || halfClosed || requests == null) {
            return false;
        }
        try {
            requests.onNext(message);
            return true;
        } catch (RuntimeException e) {
            // The call was cancelled underneath us; onError follows and ends the session.
            log.debug("send failed reason=\"{}\"", e.toString());
            return false;
        }
    }

    private void finish(Throwable error) {
        if (closed) {
            return;
        }
        closed = true;
        timers.forEach(timer -> timer.cancel(false));
        Duration length = welcomedAt == null ? Duration.ZERO : Duration.between(welcomedAt, clock.instant());
        if (welcomedAt != null) {
            metrics.connected(false);
            metrics.sessionEnded(length);
        }
        ended.complete(new Outcome(welcomedAt != null, length, error));
    }

    private static Timestamp timestamp(Instant instant) {
        return Timestamp.newBuilder().setSeconds(instant.getEpochSecond()).setNanos(instant.getNano()).build();
    }
}
