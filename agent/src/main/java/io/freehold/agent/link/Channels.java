package io.freehold.agent.link;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.freehold.agent.config.HostPort;
import io.freehold.agent.identity.AgentIdentity;
import io.freehold.agent.identity.Pem;
import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.TlsChannelCredentials;

/**
 * gRPC channels to the control plane. Only two kinds exist: server-authenticated TLS pinned to the token's CA hash
 * (join) and mutual TLS with the stored identity, trusting only the stored CA bundle (run). Neither ever consults
 * the JDK's default trust store. Server names are verified against the address dialled, as browsers do.
 */
final class Channels {

    /** Join answers within this time or is reported as failed; the control plane signs one CSR, nothing slower. */
    static final Duration JOIN_DEADLINE = Duration.ofSeconds(30);

    private Channels() {
    }

    static ManagedChannel forJoin(HostPort server, PinnedCaTrust trust) {
        ChannelCredentials credentials = TlsChannelCredentials.newBuilder().trustManager(trust).build();
        return Grpc.newChannelBuilderForAddress(server.host(), server.port(), credentials).build();
    }

    static ManagedChannel forSession(HostPort server, AgentIdentity identity, Duration keepAlive) {
        ChannelCredentials credentials;
        try {
            credentials = TlsChannelCredentials.newBuilder()
                    .keyManager(stream(Pem.certificates(List.of(identity.certificate()))), stream(Pem.privateKey(identity.key())))
                    .trustManager(CaTrust.anchoredOn(identity.caBundle()))
                    .build();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load the agent's key and certificate", e);
        }
        return Grpc.newChannelBuilderForAddress(server.host(), server.port(), credentials)
                .keepAliveTime(keepAlive.toMillis(), TimeUnit.MILLISECONDS)
                .keepAliveTimeout(Math.max(1000, keepAlive.toMillis() / 3), TimeUnit.MILLISECONDS)
                .build();
    }

    private static ByteArrayInputStream stream(String pem) {
        return new ByteArrayInputStream(pem.getBytes(StandardCharsets.UTF_8));
    }
}
