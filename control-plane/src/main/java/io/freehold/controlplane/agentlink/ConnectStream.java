package io.freehold.controlplane.agentlink;

import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;

import io.freehold.agent.v1.AgentMessage;
import io.freehold.agent.v1.Command;
import io.freehold.agent.v1.ControlMessage;
import io.freehold.agent.v1.GuestReport;
import io.freehold.agent.v1.Hello;
import io.freehold.agent.v1.ProtocolVersion;
import io.freehold.agent.v1.RenewRequest;
import io.freehold.agent.v1.RenewResponse;
import io.freehold.agent.v1.ReportAck;
import io.freehold.agent.v1.Welcome;
import io.freehold.controlplane.inventory.HostFacts;
import io.freehold.controlplane.inventory.HostUtilisation;
import io.freehold.controlplane.metering.GuestCounterReading;
import io.freehold.controlplane.platform.FaultPoints;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One host's Connect stream, from the server's side: waits for the Hello, then handles heartbeats and
 * renewals until either side ends it. It asks gRPC for the next message only when the last one is
 * handled, so a slow database slows the agent down rather than queueing its messages. On a session of
 * protocol version 2 or newer it also carries the host's command log ({@link CommandDelivery}) and the
 * agent's results. A heartbeat is
 * handled when {@link HeartbeatWriter} committed it with others, on that writer's thread; every entry
 * point holds this object's lock, so the stream's state and gRPC's observer are used by one thread at
 * a time. Whatever ends the stream, the session is closed exactly once.
 */
final class ConnectStream implements StreamObserver<AgentMessage> {

    private static final Logger log = LoggerFactory.getLogger(ConnectStream.class);

    private enum Phase { AWAITING_HELLO, OPEN, CLOSED }

    private final String hostId;
    private final String connectionId;
    private final ServerCallStreamObserver<ControlMessage> out;
    private final AgentSessions sessions;
    private final HeartbeatWriter heartbeats;
    private final ClientCertificates certificates;
    private final CommandDelivery commands;
    private final GuestReports guestReports;
    private final Clock clock;
    private Phase phase = Phase.AWAITING_HELLO;
    private boolean speaksCommands;
    private boolean speaksGuestLedger;
    private int version;
    private Duration clockOffset = Duration.ZERO;

    /**
     * Must be called from {@code Connect} itself, before it returns: this stream asks for messages itself
     * (see {@link #nextMessage()}), beginning with the Hello.
     */
    ConnectStream(String hostId, String connectionId, ServerCallStreamObserver<ControlMessage> out, AgentSessions sessions,
                  HeartbeatWriter heartbeats, ClientCertificates certificates, CommandDelivery commands, GuestReports guestReports,
                  Clock clock) {
        this.hostId = hostId;
        this.connectionId = connectionId;
        this.out = out;
        this.sessions = sessions;
        this.heartbeats = heartbeats;
        this.certificates = certificates;
        this.commands = commands;
        this.guestReports = guestReports;
        this.clock = clock;
        out.disableAutoRequest();
        out.request(1);
    }

    @Override
    public synchronized void onNext(AgentMessage message) {
        if (phase == Phase.CLOSED) {
            return;
        }
        try {
            if (phase == Phase.AWAITING_HELLO) {
                if (!message.hasHello()) {
                    throw invalid("the first message on a Connect stream must be a Hello, not " + message.getBodyCase());
                }
                hello(message.getHello());
                nextMessage();
                return;
            }
            switch (message.getBodyCase()) {
                case HELLO -> throw invalid("Hello was already sent on this stream");
                // Asks for the next message once the heartbeat's batch committed.
                case HEARTBEAT -> heartbeat(message);
                case RENEW_REQUEST -> {
                    renew(message.getRenewRequest());
                    nextMessage();
                }
                case COMMAND_RESULT -> {
                    FaultPoints.reach(FaultPoints.Point.BEFORE_ACK);
                    commands.answered(hostId, message.getCommandResult());
                    nextMessage();
                }
                case GUEST_REPORT -> {
                    if (!speaksGuestLedger) {
                        throw invalid("guest reports need protocol version " + SessionTerms.GUEST_LEDGER_VERSION);
                    }
                    GuestReport report = message.getGuestReport();
                    guestReports.report(hostId, clockOffset, report);
                    out.onNext(ControlMessage.newBuilder().setReportAck(ReportAck.newBuilder()
                            .setIncarnationId(report.getIncarnationId()).setReportSeq(report.getReportSeq())).build());
                    nextMessage();
                }
                default -> {
                    // A newer agent's message this replica does not know yet: ignored, as the protocol's compatibility rules say.
                    log.debug("host {} sent a message this control plane does not know: {}", hostId, message.getBodyCase());
                    nextMessage();
                }
            }
        } catch (StatusRuntimeException e) {
            finish(e.getStatus(), "closed by the control plane: " + e.getStatus().getDescription());
        } catch (RuntimeException e) {
            failed(message.getBodyCase(), e);
        }
    }

    @Override
    public synchronized void onError(Throwable t) {
        end("stream broke: " + Status.fromThrowable(t).getCode());
    }

    @Override
    public synchronized void onCompleted() {
        end("the agent closed its stream");
        if (!out.isCancelled()) {
            out.onCompleted();
        }
    }

    private void hello(Hello hello) {
        HostFacts facts = valid(() -> WireFacts.facts(hello.getFacts()));
        Instant sentAt = valid(() -> WireFacts.instant("hello.sent_at", hello.getSentAt()));
        int version = SessionTerms.negotiatedVersion(facts.protocolVersion()).orElseThrow();
        Duration offset = sessions.open(hostId, connectionId, facts, version, sentAt);
        phase = Phase.OPEN;
        this.version = version;
        clockOffset = offset;
        if (version >= SessionTerms.GUEST_LEDGER_VERSION) {
            speaksGuestLedger = true;
            valid(() -> {
                guestReports.hello(hostId, facts.incarnationId(), offset, hello);
                return null;
            });
        }
        log.info("host {} connected (agent {}, incarnation {}, protocol {}, clock offset {} ms)", hostId, facts.agentVersion(),
                facts.incarnationId(), version, offset.toMillis());
        out.onNext(ControlMessage.newBuilder().setWelcome(Welcome.newBuilder()
                .setHostId(hostId)
                .setHeartbeatInterval(com.google.protobuf.Duration.newBuilder()
                        .setSeconds(sessions.heartbeatInterval().getSeconds())
                        .setNanos(sessions.heartbeatInterval().getNano()))
                .setServerTime(WireFacts.timestamp(clock.instant()))
                .setProtocolVersion(ProtocolVersion.forNumber(version)))
                .build());
        if (version >= SessionTerms.COMMANDS_VERSION) {
            speaksCommands = true;
            commands.opened(hostId, this);
        }
    }

    /**
     * Sends a command of the host's log, unless the stream ended meanwhile or speaks a version without it: a console
     * read written while the host had a version-4 session stays unsent on an older agent's stream, until it expires.
     *
     * @return whether it was sent
     */
    /** The protocol version the stream's session negotiated; 0 before its Hello. */
    synchronized int version() {
        return version;
    }

    synchronized boolean deliver(Command command) {
        if (phase != Phase.OPEN || out.isCancelled()) {
            return false;
        }
        if (command.hasReadConsole() && version < SessionTerms.IMAGES_AND_CONSOLE_VERSION) {
            return false;
        }
        out.onNext(ControlMessage.newBuilder().setCommand(command).build());
        return true;
    }

    private void heartbeat(AgentMessage message) {
        HostUtilisation utilisation = valid(() -> WireFacts.utilisation(message.getHeartbeat()));
        List<GuestCounterReading> counters = valid(() -> WireFacts.counters(hostId, message.getHeartbeat()));
        heartbeats.submit(new ReceivedHeartbeat(hostId, connectionId, utilisation, counters)).whenComplete(this::heartbeatHandled);
    }

    private synchronized void heartbeatHandled(AgentSessions.Beat outcome, Throwable error) {
        if (phase == Phase.CLOSED) {
            // The stream ended while its heartbeat was in a batch; its end already closed the session if it held it.
            return;
        }
        if (error != null) {
            if (error instanceof StatusRuntimeException refusal) {
                finish(refusal.getStatus(), "closed by the control plane: " + refusal.getStatus().getDescription());
            } else {
                failed(AgentMessage.BodyCase.HEARTBEAT, error);
            }
            return;
        }
        switch (outcome) {
            case RECORDED -> nextMessage();
            case TAKEN_OVER -> {
                // The host's newer stream owns the session; this one must not disconnect it on the way out.
                phase = Phase.CLOSED;
                close(Status.ABORTED.withDescription("a newer stream of this host took the session over"));
            }
            case REFUSED -> {
                phase = Phase.CLOSED;
                close(Status.PERMISSION_DENIED.withDescription("host " + hostId + " was revoked"));
            }
        }
    }

    private void renew(RenewRequest request) {
        if (!sessions.admitted(hostId)) {
            throw Status.PERMISSION_DENIED.withDescription("host " + hostId + " was revoked").asRuntimeException();
        }
        X509Certificate renewed = certificates.sign(request.getCsrDer().toByteArray(), hostId);
        out.onNext(ControlMessage.newBuilder().setRenewResponse(RenewResponse.newBuilder()
                .setCertificateDer(ClientCertificates.der(renewed))
                .addAllCaCertificatesDer(certificates.caChain()))
                .build());
        log.info("host {} renewed its certificate until {}", hostId, renewed.getNotAfter().toInstant());
    }

    private void nextMessage() {
        if (phase != Phase.CLOSED && !out.isCancelled()) {
            out.request(1);
        }
    }

    private void failed(AgentMessage.BodyCase what, Throwable e) {
        log.warn("host {}: could not handle {}", hostId, what, e);
        finish(Status.UNAVAILABLE.withDescription("the control plane could not handle the message; reconnect"),
                "the control plane failed handling " + what);
    }

    /** Ends the stream from this side, with the reason the agent will see. */
    private void finish(Status status, String reason) {
        end(reason);
        close(status);
    }

    private void end(String reason) {
        Phase was = phase;
        phase = Phase.CLOSED;
        if (speaksCommands) {
            commands.closed(hostId, this);
        }
        if (was == Phase.OPEN) {
            try {
                sessions.close(hostId, connectionId, reason);
            } catch (RuntimeException e) {
                // The liveness sweep marks the host UNREACHABLE when its lease runs out instead.
                log.warn("host {}: could not record the end of its stream ({})", hostId, reason, e);
            }
            log.info("host {} disconnected: {}", hostId, reason);
        }
    }

    private void close(Status status) {
        if (!out.isCancelled()) {
            out.onError(status.asRuntimeException());
        }
    }

    private static <T> T valid(Supplier<T> read) {
        try {
            return read.get();
        } catch (IllegalArgumentException e) {
            throw invalid(e.getMessage());
        }
    }

    private static StatusRuntimeException invalid(String description) {
        return Status.INVALID_ARGUMENT.withDescription(description).asRuntimeException();
    }
}
