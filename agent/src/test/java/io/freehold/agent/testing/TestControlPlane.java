package io.freehold.agent.testing;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import io.freehold.agent.identity.Pem;
import io.freehold.agent.v1.AgentMessage;
import io.freehold.agent.v1.AgentServiceGrpc;
import io.freehold.agent.v1.ControlMessage;
import io.freehold.agent.v1.FetchImageRequest;
import io.freehold.agent.v1.GuestReport;
import io.freehold.agent.v1.ImageChunk;
import io.freehold.agent.v1.JoinRequest;
import io.freehold.agent.v1.JoinResponse;
import io.freehold.agent.v1.ProtocolVersion;
import io.freehold.agent.v1.RenewResponse;
import io.freehold.agent.v1.ReportAck;
import io.freehold.agent.v1.Welcome;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.TlsServerCredentials;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;

import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * A real gRPC server over real TLS on loopback that plays the control plane's part of the agent protocol: it signs
 * join CSRs for one expected token, requires a client certificate from its CA on Connect, answers Hello with a
 * Welcome (at the lower of the agent's protocol version and its own, as the control plane does) and RenewRequest with
 * a fresh certificate, acknowledges GuestReports unless told not to, sends what a test gives it, serves the image parts
 * a test gives it to FetchImage calls that present a client certificate, and records everything the agent sends.
 */
public final class TestControlPlane implements AutoCloseable {

    public static final String TOKEN = "fhj_abcdefghjk_0123456789abcdefghjkmnpqrstvwxyz";
    public static final String HOST_ID = "h-7k3m9q2x";

    /** A message as it arrived, with the client certificate that sent it and the host id that names. */
    public record Received(Instant at, X509Certificate certificate, String certificateHostId, AgentMessage message) {
    }

    /** A FetchImage call as it arrived, with the host id its client certificate names. */
    public record ImageFetch(String certificateHostId, FetchImageRequest request) {
    }

    /** A GuestReport as it arrived, with the number of the Connect call (from 1) whose stream carried it. */
    public record ReceivedReport(int stream, GuestReport report) {
    }

    private static final int IMAGE_CHUNK = 64 * 1024;
    private static final Context.Key<X509Certificate> PEER = Context.key("peer-certificate");

    private final TestCertificateAuthority ca;
    private final TestCertificateAuthority.Issued serverIdentity;
    private final Duration heartbeatInterval;
    private final Duration clientCertificateLifetime;
    private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
    private final List<JoinRequest> joins = new CopyOnWriteArrayList<>();
    private final List<X509Certificate> issued = new CopyOnWriteArrayList<>();
    private final AtomicInteger completedStreams = new AtomicInteger();
    private final AtomicInteger connectCalls = new AtomicInteger();
    private final List<ReceivedReport> reports = new CopyOnWriteArrayList<>();
    private final List<StreamObserver<ControlMessage>> openStreams = new CopyOnWriteArrayList<>();
    private final Map<String, byte[]> imageParts = new ConcurrentHashMap<>();
    private final List<ImageFetch> imageFetches = new CopyOnWriteArrayList<>();
    private volatile ProtocolVersion version = ProtocolVersion.PROTOCOL_VERSION_3;
    private volatile boolean acknowledgeReports = true;
    private Server server;
    private int port;

    public TestControlPlane(TestCertificateAuthority ca, Duration heartbeatInterval, Duration clientCertificateLifetime) {
        this(ca, ca.serverIdentity(), heartbeatInterval, clientCertificateLifetime);
    }

    /** A server that presents {@code serverIdentity}, whatever CA signed it, but signs clients with {@code ca}. */
    public TestControlPlane(TestCertificateAuthority ca, TestCertificateAuthority.Issued serverIdentity,
                            Duration heartbeatInterval, Duration clientCertificateLifetime) {
        this.ca = ca;
        this.serverIdentity = serverIdentity;
        this.heartbeatInterval = heartbeatInterval;
        this.clientCertificateLifetime = clientCertificateLifetime;
    }

    public TestControlPlane start() {
        return startOn(0);
    }

    /** Starts (again) on a given port, as a restarted replica does. */
    public TestControlPlane startOn(int wantedPort) {
        TlsServerCredentials.Builder credentials = TlsServerCredentials.newBuilder()
                .clientAuth(TlsServerCredentials.ClientAuth.OPTIONAL);
        try {
            credentials.keyManager(new FixedServerKey(serverIdentity))
                    .trustManager(stream(Pem.certificates(List.of(ca.certificate()))));
            server = NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), wantedPort), credentials.build())
                    .addService(ServerInterceptors.intercept(new Service(), new PeerCertificate()))
                    .build()
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        port = server.getPort();
        return this;
    }

    public int port() {
        return port;
    }

    public String address() {
        return "127.0.0.1:" + port;
    }

    public BlockingQueue<Received> received() {
        return received;
    }

    public List<JoinRequest> joins() {
        return joins;
    }

    public List<X509Certificate> issued() {
        return issued;
    }

    public int completedStreams() {
        return completedStreams.get();
    }

    public int connectCalls() {
        return connectCalls.get();
    }

    /** Every GuestReport received, resends included, in order. */
    public List<ReceivedReport> reports() {
        return reports;
    }

    /** Serves these bytes to FetchImage calls for their SHA-256 (lowercase hex). */
    public void serveImagePart(String sha256, byte[] bytes) {
        imageParts.put(sha256, bytes);
    }

    public List<ImageFetch> imageFetches() {
        return imageFetches;
    }

    /** The newest protocol version this server speaks; the Welcome answers with the lower of it and the agent's. */
    public TestControlPlane speaking(ProtocolVersion newest) {
        version = newest;
        return this;
    }

    /** Whether GuestReports are answered with a ReportAck from now on, as a control plane does once it stored them. */
    public void acknowledgeReports(boolean acknowledge) {
        acknowledgeReports = acknowledge;
    }

    /** Sends the message on every open stream, as a replica delivers a command. */
    public void send(ControlMessage message) {
        for (StreamObserver<ControlMessage> stream : openStreams) {
            synchronized (stream) {
                try {
                    stream.onNext(message);
                } catch (RuntimeException cancelled) {
                    openStreams.remove(stream);
                }
            }
        }
    }

    /** Stops abruptly, like a replica that dies: open streams are cut. */
    public void stop() {
        server.shutdownNow();
        try {
            server.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        if (server != null && !server.isTerminated()) {
            stop();
        }
    }

    private static ByteArrayInputStream stream(String pem) {
        return new ByteArrayInputStream(pem.getBytes(StandardCharsets.UTF_8));
    }

    private static Timestamp now() {
        Instant now = Instant.now();
        return Timestamp.newBuilder().setSeconds(now.getEpochSecond()).setNanos(now.getNano()).build();
    }

    /** Puts the verified client certificate, if any, into the call's context. */
    private static final class PeerCertificate implements ServerInterceptor {
        @Override
        public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
            SSLSession session = call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION);
            X509Certificate peer = null;
            try {
                if (session != null && session.getPeerCertificates().length > 0) {
                    peer = (X509Certificate) session.getPeerCertificates()[0];
                }
            } catch (SSLPeerUnverifiedException e) {
                peer = null;
            }
            return Contexts.interceptCall(Context.current().withValue(PEER, peer), call, headers, next);
        }
    }

    private final class Service extends AgentServiceGrpc.AgentServiceImplBase {

        @Override
        public void join(JoinRequest request, StreamObserver<JoinResponse> response) {
            joins.add(request);
            if (!TOKEN.equals(request.getJoinToken())) {
                response.onError(Status.PERMISSION_DENIED.withDescription("unknown join token").asRuntimeException());
                return;
            }
            X509Certificate certificate = ca.signClient(request.getCsrDer().toByteArray(), HOST_ID, clientCertificateLifetime);
            issued.add(certificate);
            response.onNext(JoinResponse.newBuilder()
                    .setHostId(HOST_ID)
                    .setCertificateDer(der(certificate))
                    .addCaCertificatesDer(der(ca.certificate()))
                    .addControlPlaneAddresses("localhost:" + port)
                    .build());
            response.onCompleted();
        }

        @Override
        public void fetchImage(FetchImageRequest request, StreamObserver<ImageChunk> responses) {
            X509Certificate peer = PEER.get();
            if (peer == null) {
                responses.onError(Status.UNAUTHENTICATED.withDescription("a client certificate is required").asRuntimeException());
                return;
            }
            imageFetches.add(new ImageFetch(peer.getSubjectX500Principal().getName().replaceFirst("^CN=", ""), request));
            byte[] bytes = imageParts.get(request.getSha256());
            if (bytes == null) {
                responses.onError(Status.NOT_FOUND.withDescription("no image part " + request.getSha256()).asRuntimeException());
                return;
            }
            for (long offset = request.getOffset(); offset < bytes.length; offset += IMAGE_CHUNK) {
                int length = (int) Math.min(IMAGE_CHUNK, bytes.length - offset);
                responses.onNext(ImageChunk.newBuilder().setOffset(offset).setSizeBytes(bytes.length)
                        .setData(ByteString.copyFrom(bytes, (int) offset, length)).build());
            }
            responses.onCompleted();
        }

        @Override
        public StreamObserver<AgentMessage> connect(StreamObserver<ControlMessage> responses) {
            int stream = connectCalls.incrementAndGet();
            X509Certificate peer = PEER.get();
            if (peer == null) {
                responses.onError(Status.UNAUTHENTICATED.withDescription("a client certificate is required").asRuntimeException());
                return new Ignore();
            }
            String hostId = peer.getSubjectX500Principal().getName().replaceFirst("^CN=", "");
            openStreams.add(responses);
            return new StreamObserver<>() {
                @Override
                public void onNext(AgentMessage message) {
                    received.add(new Received(Instant.now(), peer, hostId, message));
                    synchronized (responses) {
                        switch (message.getBodyCase()) {
                            case HELLO -> responses.onNext(ControlMessage.newBuilder().setWelcome(Welcome.newBuilder()
                                    .setHostId(hostId)
                                    .setHeartbeatInterval(com.google.protobuf.Duration.newBuilder()
                                            .setSeconds(heartbeatInterval.getSeconds()).setNanos(heartbeatInterval.getNano()))
                                    .setServerTime(now())
                                    .setProtocolVersion(ProtocolVersion.forNumber(Math.min(version.getNumber(),
                                            message.getHello().getFacts().getProtocolVersionValue())))).build());
                            case GUEST_REPORT -> {
                                GuestReport report = message.getGuestReport();
                                reports.add(new ReceivedReport(stream, report));
                                if (acknowledgeReports) {
                                    responses.onNext(ControlMessage.newBuilder().setReportAck(ReportAck.newBuilder()
                                            .setIncarnationId(report.getIncarnationId())
                                            .setReportSeq(report.getReportSeq())).build());
                                }
                            }
                            case RENEW_REQUEST -> {
                                X509Certificate renewed = ca.signClient(message.getRenewRequest().getCsrDer().toByteArray(),
                                        hostId, clientCertificateLifetime);
                                issued.add(renewed);
                                responses.onNext(ControlMessage.newBuilder().setRenewResponse(RenewResponse.newBuilder()
                                        .setCertificateDer(der(renewed))
                                        .addCaCertificatesDer(der(ca.certificate()))).build());
                            }
                            default -> {
                            }
                        }
                    }
                }

                @Override
                public void onError(Throwable error) {
                    // The agent went away without completing; nothing to record beyond its absence.
                    openStreams.remove(responses);
                }

                @Override
                public void onCompleted() {
                    openStreams.remove(responses);
                    completedStreams.incrementAndGet();
                    synchronized (responses) {
                        responses.onCompleted();
                    }
                }
            };
        }
    }

    private static ByteString der(X509Certificate certificate) {
        try {
            return ByteString.copyFrom(certificate.getEncoded());
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final class Ignore implements StreamObserver<AgentMessage> {
        @Override
        public void onNext(AgentMessage value) {
        }

        @Override
        public void onError(Throwable t) {
        }

        @Override
        public void onCompleted() {
        }
    }
}
