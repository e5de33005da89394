package io.freehold.controlplane.agentlink;

import java.net.Socket;
import java.security.KeyPair;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509TrustManager;

import com.google.protobuf.ByteString;
import io.freehold.agent.v1.AgentMessage;
import io.freehold.agent.v1.AgentServiceGrpc;
import io.freehold.agent.v1.Heartbeat;
import io.freehold.agent.v1.Hello;
import io.freehold.agent.v1.HostFacts;
import io.freehold.agent.v1.JoinRequest;
import io.freehold.agent.v1.JoinResponse;
import io.freehold.agent.v1.ProtocolVersion;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;

/**
 * A minimal agent that talks as the real one does: it joins over TLS that trusts only a server whose
 * chain holds the CA with the SHA-256 from the join token (kubeadm's discovery hash), then opens Connect
 * streams over mutual TLS with the key it generated and the certificate Join returned. Tests can also
 * make it misbehave: no certificate, someone else's, or messages no agent should send.
 */
final class TestAgent implements AutoCloseable {

    private final int port;
    private final List<ManagedChannel> channels = new ArrayList<>();
    private final List<AgentStream> streams = new ArrayList<>();
    KeyPair key = TestCertificates.newKey();
    X509Certificate certificate;
    X509Certificate ca;
    String hostId;

    TestAgent(int port) {
        this.port = port;
    }

    JoinResponse join(String token, String caFingerprint, String hostname) {
        return join(token, caFingerprint, facts(hostname), TestCertificates.csr(key, "freehold-agent"));
    }

    /** Joins and, on success, keeps the host id, certificate and CA for {@link #connect()}. */
    JoinResponse join(String token, String caFingerprint, HostFacts facts, byte[] csr) {
        JoinResponse response = AgentServiceGrpc.newBlockingStub(channel(tls(pinning(caFingerprint), null, null)))
                .withDeadlineAfter(10, TimeUnit.SECONDS)
                .join(JoinRequest.newBuilder().setJoinToken(token).setCsrDer(ByteString.copyFrom(csr)).setFacts(facts).build());
        hostId = response.getHostId();
        certificate = TestCertificates.certificate(response.getCertificateDer().toByteArray());
        ca = TestCertificates.certificate(response.getCaCertificatesDer(response.getCaCertificatesDerCount() - 1).toByteArray());
        return response;
    }

    /** A Connect stream over mutual TLS with this agent's certificate. */
    AgentStream connect() {
        return connect(mutualTls(key.getPrivate(), certificate));
    }

    AgentStream connect(SslContext tls) {
        AgentStream stream = new AgentStream(AgentServiceGrpc.newStub(channel(tls)));
        streams.add(stream);
        return stream;
    }

    SslContext mutualTls(PrivateKey clientKey, X509Certificate... clientChain) {
        return tls(null, clientKey, clientChain);
    }

    /** TLS that trusts this control plane's CA but presents no client certificate. */
    SslContext withoutClientCertificate() {
        return tls(null, null, null);
    }

    ManagedChannel channel(SslContext tls) {
        ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", port).sslContext(tls).build();
        channels.add(channel);
        return channel;
    }

    private SslContext tls(X509TrustManager trust, PrivateKey clientKey, X509Certificate[] clientChain) {
        try {
            SslContextBuilder builder = GrpcSslContexts.forClient();
            if (trust != null) {
                builder.trustManager(trust);
            } else {
                builder.trustManager(ca);
            }
            if (clientKey != null) {
                builder.keyManager(presenting(clientKey, clientChain));
            }
            return builder.build();
        } catch (SSLException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Presents this key and chain whatever CAs the server asks for: a stock key manager would quietly
     * send no certificate when its issuer is not on the server's list, and the test would never see the
     * server refuse it.
     */
    private static X509ExtendedKeyManager presenting(PrivateKey key, X509Certificate[] chain) {
        return new X509ExtendedKeyManager() {
            @Override
            public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
                return "agent";
            }

            @Override
            public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
                return "agent";
            }

            @Override
            public String[] getClientAliases(String keyType, Principal[] issuers) {
                return new String[] {"agent"};
            }

            @Override
            public String[] getServerAliases(String keyType, Principal[] issuers) {
                return new String[0];
            }

            @Override
            public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
                return null;
            }

            @Override
            public X509Certificate[] getCertificateChain(String alias) {
                return chain;
            }

            @Override
            public PrivateKey getPrivateKey(String alias) {
                return key;
            }
        };
    }

    /**
     * Trusts a server only when its chain holds a certificate with the pinned SHA-256 that signed the
     * server's certificate: how an agent that knows nothing but its join token authenticates the server.
     */
    static X509TrustManager pinning(String caFingerprint) {
        return new X509TrustManager() {
            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
                X509Certificate pinned = null;
                for (X509Certificate candidate : chain) {
                    if (TestCertificates.fingerprint(candidate).equals(caFingerprint)) {
                        pinned = candidate;
                    }
                }
                if (pinned == null) {
                    throw new CertificateException("the server's chain does not hold the CA " + caFingerprint + " from the join token");
                }
                try {
                    chain[0].verify(pinned.getPublicKey());
                    chain[0].checkValidity();
                } catch (Exception e) {
                    throw new CertificateException("the server certificate is not signed by the pinned CA", e);
                }
            }

            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
                throw new CertificateException("an agent trusts no clients");
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
    }

    static HostFacts facts(String hostname) {
        return HostFacts.newBuilder()
                .setHostname(hostname)
                .setCpuModel("Test CPU @ 2.0GHz")
                .setCpuCores(2)
                .setCpuThreads(4)
                .setMemoryBytes(24L << 30)
                .setStoragePath("/var/lib/freehold/agent")
                .setStorageBytes(500L << 30)
                .setLibvirtUri("test:///default")
                .setLibvirtVersion("9.0.0")
                .setQemuVersion("7.2.0")
                .setKvmUsable(false)
                .setAgentVersion("0.1.0-test")
                .setProtocolVersion(ProtocolVersion.PROTOCOL_VERSION_1)
                .setBootId(UUID.randomUUID().toString())
                .setIncarnationId(UUID.randomUUID().toString())
                .setOs("Linux")
                .setArchitecture("amd64")
                .build();
    }

    static AgentMessage hello(HostFacts facts, Instant sentAt) {
        return AgentMessage.newBuilder().setHello(Hello.newBuilder().setFacts(facts).setSentAt(WireFacts.timestamp(sentAt))).build();
    }

    static AgentMessage heartbeat() {
        return AgentMessage.newBuilder().setHeartbeat(Heartbeat.newBuilder()
                .setSentAt(WireFacts.timestamp(Instant.now()))
                .setLoadAverage1M(0.25)
                .setFreeMemoryBytes(20L << 30)
                .setFreeStorageBytes(400L << 30)
                .setGuestCount(0)).build();
    }

    @Override
    public void close() {
        streams.forEach(AgentStream::close);
        channels.forEach(ManagedChannel::shutdownNow);
    }
}
