package io.freehold.controlplane.agentlink;

import java.time.Clock;

import io.freehold.agent.v1.AgentMessage;
import io.freehold.agent.v1.AgentServiceGrpc;
import io.freehold.agent.v1.ControlMessage;
import io.freehold.agent.v1.FetchImageRequest;
import io.freehold.agent.v1.ImageChunk;
import io.freehold.agent.v1.JoinRequest;
import io.freehold.agent.v1.JoinResponse;
import io.freehold.controlplane.inventory.HostFacts;
import io.freehold.controlplane.platform.ids.IdGenerator;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The agent protocol's calls (ARCHITECTURE §4; {@code docs/agent-protocol.md}). Join needs no client
 * certificate; Connect and FetchImage run behind {@link ClientCertificateInterceptor}, which has already put
 * the host id from the certificate into the call's context. Refusals carry a gRPC status and a
 * description an operator can act on; nothing is written for a refused Join or a refused first message.
 */
@Component
class AgentGrpcService extends AgentServiceGrpc.AgentServiceImplBase {

    private static final Logger log = LoggerFactory.getLogger(AgentGrpcService.class);
    private static final String CONNECTION_ID_PREFIX = "ac";

    private final HostEnrolment enrolment;
    private final ClientCertificates certificates;
    private final AgentSessions sessions;
    private final AgentLinkProperties properties;
    private final HeartbeatWriter heartbeats;
    private final CommandDelivery commands;
    private final GuestReports guestReports;
    private final ImageFetches images;
    private final IdGenerator ids;
    private final Clock clock;

    AgentGrpcService(HostEnrolment enrolment, ClientCertificates certificates, AgentSessions sessions,
                     AgentLinkProperties properties, HeartbeatWriter heartbeats, CommandDelivery commands, GuestReports guestReports,
                     ImageFetches images, IdGenerator ids, Clock clock) {
        this.enrolment = enrolment;
        this.certificates = certificates;
        this.sessions = sessions;
        this.properties = properties;
        this.heartbeats = heartbeats;
        this.commands = commands;
        this.guestReports = guestReports;
        this.images = images;
        this.ids = ids;
        this.clock = clock;
    }

    @Override
    public void join(JoinRequest request, StreamObserver<JoinResponse> response) {
        try {
            if (request.getJoinToken().isEmpty()) {
                throw Status.INVALID_ARGUMENT.withDescription("join_token is missing").asRuntimeException();
            }
            if (!request.hasFacts()) {
                throw Status.INVALID_ARGUMENT.withDescription("facts are missing").asRuntimeException();
            }
            HostFacts facts;
            try {
                facts = WireFacts.facts(request.getFacts());
            } catch (IllegalArgumentException e) {
                throw Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException();
            }
            HostEnrolment.Enrolled enrolled = enrolment.enrol(request.getJoinToken(), request.getCsrDer().toByteArray(), facts);
            log.info("host {} joined from {}", enrolled.hostId(), facts.hostname());
            response.onNext(JoinResponse.newBuilder()
                    .setHostId(enrolled.hostId())
                    .setCertificateDer(ClientCertificates.der(enrolled.certificate()))
                    .addAllCaCertificatesDer(certificates.caChain())
                    .addAllControlPlaneAddresses(properties.advertisedAddresses())
                    .build());
            response.onCompleted();
        } catch (StatusRuntimeException e) {
            log.info("join refused: {}", e.getStatus().getDescription());
            response.onError(e);
        } catch (RuntimeException e) {
            log.warn("join failed", e);
            response.onError(Status.UNAVAILABLE.withDescription("the control plane could not complete the join; try again")
                    .asRuntimeException());
        }
    }

    @Override
    public StreamObserver<AgentMessage> connect(StreamObserver<ControlMessage> response) {
        String hostId = ClientCertificateInterceptor.HOST_ID.get();
        if (hostId == null) {
            throw Status.UNAUTHENTICATED.withDescription("no client certificate").asRuntimeException();
        }
        return new ConnectStream(hostId, ids.next(CONNECTION_ID_PREFIX), (ServerCallStreamObserver<ControlMessage>) response,
                sessions, heartbeats, certificates, commands, guestReports, clock);
    }

    @Override
    public void fetchImage(FetchImageRequest request, StreamObserver<ImageChunk> response) {
        String hostId = ClientCertificateInterceptor.HOST_ID.get();
        if (hostId == null) {
            throw Status.UNAUTHENTICATED.withDescription("no client certificate").asRuntimeException();
        }
        images.fetch(hostId, request, (ServerCallStreamObserver<ImageChunk>) response);
    }
}
