package io.freehold.agent.link;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
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
import io.freehold.agent.guest.GuestWatcher;
import io.freehold.agent.guest.LedgerView;
import io.freehold.agent.v1.AgentMessage;
import io.freehold.agent.v1.AgentServiceGrpc;
import io.freehold.agent.v1.ControlMessage;
import io.freehold.agent.v1.GuestReport;
import io.freehold.agent.v1.Heartbeat;
import io.freehold.agent.v1.Hello;
import io.freehold.agent.v1.ProtocolVersion;
import io.freehold.agent.v1.Welcome;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@code Connect} stream: Hello, then Welcome within the welcome timeout, then heartbeats at the interval the
 * Welcome names and a RenewRequest when the certificate reaches two thirds of its life; commands go to the
 * {@link CommandRunner} and their results come back on this stream. With protocol version 3, Hello carries the guests
 * of the last look, heartbeats their running-seconds counters, and every lifecycle report the control plane has not
 * acknowledged goes out once per session, oldest first, as soon as it is on disk. Every step runs on the
 * link's single scheduler thread — gRPC's request observer is not thread-safe, and one thread needs no locks. The
 * guest ledger lives on the command runner's thread: the session reads only its published immutable views and hands
 * acknowledgements back to that thread.
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
    private final GuestWatcher guests;
    private final Clock clock;
    private final Duration welcomeTimeout;
    private final CompletableFuture<Outcome> ended = new CompletableFuture<>();
    private final List<ScheduledFuture<?>> timers = new ArrayList<>();
    private ScheduledFuture<?> renewalTimer;
    private StreamObserver<AgentMessage> requests;
    private Instant helloSentAt;
    private Instant welcomedAt;
    /** Whether the Welcome agreed on version 3 or newer: an older control plane would never acknowledge a report. */
    private boolean reportsAccepted;
    /** The reports sent on this session, so that each goes out once per session. */
    private final Set<ReportKey> reportsSent = new HashSet<>();
    private boolean halfClosed;
    private boolean closed;

    Session(ManagedChannel channel, ScheduledExecutorService thread, HostFactsCollector facts, HeartbeatSampler sampler,
            CertificateRenewal renewal, AgentMetrics metrics, CommandRunner commands, GuestWatcher guests, Clock clock,
            Duration welcomeTimeout) {
        this.channel = channel;
        this.thread = thread;
        this.facts = facts;
        this.sampler = sampler;
        this.renewal = renewal;
        this.metrics = metrics;
        this.commands = commands;
        this.guests = guests;
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
            LedgerView view = guests.view();
            send(AgentMessage.newBuilder().setHello(Hello.newBuilder()
                    .setFacts(facts.collect())
                    .setSentAt(timestamp(helloSentAt))
                    .setLastAppliedSeq(view.appliedSeq())
                    .setGuestsObserved(view.observed())
                    .addAllGuests(GuestMessages.actualGuests(view))
                    .addAllForeignDomains(GuestMessages.foreignDomains(view))).build());
            timers.add(thread.schedule(guarded(this::welcomeOverdue), welcomeTimeout.toMillis(), TimeUnit.MILLISECONDS));
        });
    }

    /** The guest ledger published a view; called on the command runner's thread. */
    void ledgerChanged() {
        onSessionThread(this::sendPendingReports);
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
                case REPORT_ACK -> commands.acknowledge(message.getReportAck());
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
        reportsAccepted = welcome.getProtocolVersionValue() >= ProtocolVersion.PROTOCOL_VERSION_3_VALUE;
        if (!reportsAccepted) {
            log.warn("the control plane speaks protocol version {}: lifecycle reports wait on disk until one speaks 3",
                    welcome.getProtocolVersionValue());
        }
        sendPendingReports();
    }

    /**
     * Sends, oldest first, every pending report not yet sent on this session: those left from earlier sessions and
     * agent processes first, then each new one as the ledger publishes it. A report goes out again only on another
     * session, until the control plane acknowledges it.
     */
    private void sendPendingReports() {
        if (welcomedAt == null || !reportsAccepted) {
            return;
        }
        List<GuestReport> pending = guests.view().pending();
        Set<ReportKey> stillPending = new HashSet<>();
        pending.forEach(report -> stillPending.add(ReportKey.of(report)));
        reportsSent.retainAll(stillPending);
        for (GuestReport report : pending) {
            if (reportsSent.contains(ReportKey.of(report))) {
                continue;
            }
            if (!send(AgentMessage.newBuilder().setGuestReport(report).build())) {
                return;
            }
            reportsSent.add(ReportKey.of(report));
            metrics.reportSent();
        }
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
        Heartbeat heartbeat = sampler.sample(clock.instant()).toBuilder()
                .addAllGuestCounters(GuestMessages.counters(guests.view())).build();
        if (send(AgentMessage.newBuilder().setHeartbeat(heartbeat).build())) {
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

    /** What identifies a report: the agent process that made it and its number there. */
    private record ReportKey(String incarnationId, long seq) {
        static ReportKey of(GuestReport report) {
            return new ReportKey(report.getIncarnationId(), report.getReportSeq());
        }
    }

    private static Timestamp timestamp(Instant instant) {
        return Timestamp.newBuilder().setSeconds(instant.getEpochSecond()).setNanos(instant.getNano()).build();
    }
}
