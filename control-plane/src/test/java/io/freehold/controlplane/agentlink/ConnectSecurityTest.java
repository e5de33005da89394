package io.freehold.controlplane.agentlink;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.google.protobuf.ByteString;
import io.freehold.agent.v1.AgentMessage;
import io.freehold.agent.v1.AgentServiceGrpc;
import io.freehold.agent.v1.RenewRequest;
import io.freehold.controlplane.inventory.HostState;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import org.junit.jupiter.api.Test;

/**
 * Who may open a Connect stream and what the stream will believe, over real mutual TLS: identity
 * comes from the client certificate alone, and a refused stream writes nothing.
 */
class ConnectSecurityTest extends AgentLinkApiTest {

    @Test
    void aStreamWithoutAClientCertificateIsUnauthenticated() {
        TestAgent agent = joined(uniqueHostname("no-cert"));

        AgentStream stream = agent.connect(agent.withoutClientCertificate());
        stream.send(TestAgent.hello(TestAgent.facts("anything"), clock.instant()));

        assertThat(stream.awaitClose().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
        assertThat(state(agent.hostId)).isEqualTo(HostState.REGISTERED);
    }

    @Test
    void aCertificateFromAForeignCaFailsTheHandshake() {
        TestAgent victim = joined(uniqueHostname("victim"));
        TestCertificates.ForeignCa foreign = TestCertificates.foreignCa();
        var key = TestCertificates.newKey();
        var forged = TestCertificates.clientCertificate(foreign, victim.hostId, key.getPublic());

        AgentStream stream = victim.connect(victim.mutualTls(key.getPrivate(), forged, foreign.certificate()));
        stream.send(TestAgent.hello(TestAgent.facts("impostor"), clock.instant()));

        assertThat(stream.awaitClose().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(state(victim.hostId)).isEqualTo(HostState.REGISTERED);
        assertThat(sessionRow(victim.hostId)).isEmpty();
    }

    @Test
    void aReplicasServerCertificateIsNoHostIdentity() {
        TestAgent agent = joined(uniqueHostname("server-cert"));
        CertificateAuthority.ServerIdentity server = authority.issueServerIdentity(List.of("localhost"), Duration.ofHours(1));

        AgentStream stream = agent.connect(agent.mutualTls(server.key(), server.certificate()));
        stream.send(TestAgent.hello(TestAgent.facts("replica"), clock.instant()));

        // Refused by TLS already (no clientAuth usage); the interceptor would refuse it too (ClientCertificateInterceptorTest).
        assertThat(stream.awaitClose().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(state(agent.hostId)).isEqualTo(HostState.REGISTERED);
    }

    @Test
    void aHostSpeaksOnlyForItselfWhateverItsMessagesClaim() {
        String nameA = uniqueHostname("host-a");
        String nameB = uniqueHostname("host-b");
        TestAgent a = joined(nameA);
        TestAgent b = joined(nameB);
        var bBefore = hostRow(b.hostId);

        AgentStream stream = a.connect();
        stream.send(TestAgent.hello(TestAgent.facts(nameB), clock.instant()));
        var welcome = stream.next().getWelcome();
        stream.send(AgentMessage.newBuilder().setRenewRequest(RenewRequest.newBuilder()
                .setCsrDer(ByteString.copyFrom(TestCertificates.csr(TestCertificates.newKey(), b.hostId)))).build());
        var renewed = TestCertificates.certificate(stream.next().getRenewResponse().getCertificateDer().toByteArray());

        assertThat(welcome.getHostId()).isEqualTo(a.hostId);
        assertThat(renewed.getSubjectX500Principal().getName()).isEqualTo("CN=" + a.hostId);
        assertThat(state(a.hostId)).isEqualTo(HostState.READY);
        assertThat(hostRow(a.hostId)).containsEntry("facts_hostname", nameB).containsEntry("hostname", nameA);
        assertThat(hostRow(b.hostId)).isEqualTo(bBefore);
        assertThat(events(b.hostId)).containsExactly("joined:null->REGISTERED");
        assertThat(sessionRow(b.hostId)).isEmpty();
    }

    @Test
    void aRevokedHostIsRefused() {
        TestAgent agent = joined(uniqueHostname("revoked"));
        jdbc.sql("update host set state = 'REVOKED' where id = :id").param("id", agent.hostId).update();

        AgentStream stream = agent.connect();
        stream.send(TestAgent.hello(TestAgent.facts("revoked"), clock.instant()));

        assertThat(stream.awaitClose().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
        assertThat(state(agent.hostId)).isEqualTo(HostState.REVOKED);
        assertThat(sessionRow(agent.hostId)).isEmpty();
    }

    @Test
    void aHostRevokedWhileConnectedIsCutOffAtItsNextHeartbeat() {
        String hostname = uniqueHostname("revoked-live");
        TestAgent agent = joined(hostname);
        AgentStream stream = connected(agent, hostname);
        jdbc.sql("update host set state = 'REVOKED' where id = :id").param("id", agent.hostId).update();

        stream.send(TestAgent.heartbeat());

        assertThat(stream.awaitClose().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
        assertThat(sessionRow(agent.hostId)).isEmpty();
    }

    @Test
    void aHeartbeatBeforeHelloClosesTheStreamAndWritesNothing() {
        TestAgent agent = joined(uniqueHostname("no-hello"));
        var before = hostRow(agent.hostId);

        AgentStream stream = agent.connect();
        stream.send(TestAgent.heartbeat());

        assertThat(stream.awaitClose().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(hostRow(agent.hostId)).isEqualTo(before);
        assertThat(events(agent.hostId)).containsExactly("joined:null->REGISTERED");
        assertThat(sessionRow(agent.hostId)).isEmpty();
    }

    @Test
    void anOversizedMessageClosesTheStreamAndWritesNothing() {
        TestAgent agent = joined(uniqueHostname("oversized"));
        var before = hostRow(agent.hostId);
        var huge = TestAgent.facts("oversized").toBuilder().setCpuModel("x".repeat(AgentLinkServer.MAX_MESSAGE_BYTES + 1)).build();

        AgentStream stream = agent.connect();
        stream.send(TestAgent.hello(huge, clock.instant()));

        assertThat(stream.awaitClose().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
        assertThat(hostRow(agent.hostId)).isEqualTo(before);
        assertThat(sessionRow(agent.hostId)).isEmpty();
    }

    @Test
    void bytesThatAreNoMessageCloseTheStreamAndWriteNothing() throws Exception {
        TestAgent agent = joined(uniqueHostname("garbage"));
        var before = hostRow(agent.hostId);
        ManagedChannel channel = agent.channel(agent.mutualTls(agent.key.getPrivate(), agent.certificate));
        CompletableFuture<Status> closed = new CompletableFuture<>();

        StreamObserver<byte[]> raw = ClientCalls.asyncBidiStreamingCall(channel.newCall(rawConnect(), CallOptions.DEFAULT),
                new StreamObserver<>() {
                    @Override
                    public void onNext(byte[] value) {
                    }

                    @Override
                    public void onError(Throwable t) {
                        closed.complete(Status.fromThrowable(t));
                    }

                    @Override
                    public void onCompleted() {
                        closed.complete(Status.OK);
                    }
                });
        raw.onNext(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, 0x07, 0x01, 0x02});

        assertThat(closed.get(5, TimeUnit.SECONDS).isOk()).isFalse();
        assertThat(hostRow(agent.hostId)).isEqualTo(before);
        assertThat(sessionRow(agent.hostId)).isEmpty();
    }

    /** Connect as the wire sees it, so the test can send bytes that no protobuf encoder would produce. */
    private static MethodDescriptor<byte[], byte[]> rawConnect() {
        MethodDescriptor.Marshaller<byte[]> bytes = new MethodDescriptor.Marshaller<>() {
            @Override
            public InputStream stream(byte[] value) {
                return new ByteArrayInputStream(value);
            }

            @Override
            public byte[] parse(InputStream stream) {
                try {
                    return stream.readAllBytes();
                } catch (java.io.IOException e) {
                    throw new IllegalStateException(e);
                }
            }
        };
        return AgentServiceGrpc.getConnectMethod().toBuilder(bytes, bytes).build();
    }
}
