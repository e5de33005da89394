package io.freehold.controlplane.agentlink;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import javax.net.ssl.SSLException;

import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.ClientAuth;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ExecutorServiceMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * The mTLS endpoint agents dial ({@code freehold.agentlink.bind-address:port}). It presents a server
 * certificate this replica issues itself at start, chained to the CA whose SHA-256 join tokens carry,
 * and trusts client certificates of that CA only. A client certificate is optional at the TLS layer
 * because Join comes before the agent has one; {@link ClientCertificateInterceptor} requires it for
 * every other call. Message handling runs on a bounded pool of its own, never on Netty's event loops.
 * Stopping cancels every stream: each host this replica held is disconnected, and its agent reconnects
 * to another replica.
 */
@Component
@ConditionalOnBooleanProperty(name = "freehold.agentlink.enabled", matchIfMissing = true)
class AgentLinkServer implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(AgentLinkServer.class);
    /** Far above any real message (a Hello is a few KiB); what is larger is an attack or a bug. */
    static final int MAX_MESSAGE_BYTES = 1024 * 1024;
    private static final int MAX_METADATA_BYTES = 16 * 1024;
    /** Connect plus a few calls to come (image fetches); one agent has no use for more at once. */
    private static final int MAX_CALLS_PER_CONNECTION = 16;
    /** Each message is a short transaction; more threads than database connections would only wait. */
    private static final int HANDLER_THREADS = 16;

    private final AgentLinkProperties properties;
    private final CertificateAuthority authority;
    private final AgentGrpcService service;
    private final ClientCertificateInterceptor identity;
    private final MeterRegistry registry;
    private volatile Server server;
    private volatile ExecutorService handlers;

    AgentLinkServer(AgentLinkProperties properties, CertificateAuthority authority, AgentGrpcService service,
                    ClientCertificateInterceptor identity, MeterRegistry registry) {
        this.properties = properties;
        this.authority = authority;
        this.service = service;
        this.identity = identity;
        this.registry = registry;
    }

    @Override
    public void start() {
        // Timed, so that the time a message waits for a free handler ("executor.idle", name=agentlink) is
        // visible next to the time its handling takes: together they are the control plane's part of its latency.
        handlers = ExecutorServiceMetrics.monitor(registry, handlerPool(), "agentlink");
        try {
            server = NettyServerBuilder.forAddress(new InetSocketAddress(properties.bindAddress(), properties.port()))
                    .sslContext(tls())
                    .executor(handlers)
                    .addService(ServerInterceptors.intercept(service, identity))
                    .handshakeTimeout(10, TimeUnit.SECONDS)
                    .maxInboundMessageSize(MAX_MESSAGE_BYTES)
                    .maxInboundMetadataSize(MAX_METADATA_BYTES)
                    .maxConcurrentCallsPerConnection(MAX_CALLS_PER_CONNECTION)
                    // Finds dead peers that never sent a FIN, so their streams end and their hosts are disconnected.
                    .keepAliveTime(30, TimeUnit.SECONDS)
                    .keepAliveTimeout(10, TimeUnit.SECONDS)
                    .permitKeepAliveTime(10, TimeUnit.SECONDS)
                    .permitKeepAliveWithoutCalls(false)
                    .maxConnectionIdle(5, TimeUnit.MINUTES)
                    .build()
                    .start();
        } catch (IOException e) {
            handlers.shutdownNow();
            throw new UncheckedIOException("cannot listen for agents on " + properties.bindAddress() + ":" + properties.port(), e);
        }
        log.info("agent endpoint listening on {}:{} (mTLS, CA {})", properties.bindAddress(), server.getPort(), authority.fingerprint());
    }

    private SslContext tls() {
        CertificateAuthority.ServerIdentity self = authority.issueServerIdentity(properties.serverNames(),
                properties.serverCertificateLifetime());
        try {
            // The CA goes in the chain: agents pin it by its SHA-256 before they trust anything else.
            return GrpcSslContexts.configure(SslContextBuilder.forServer(self.key(), self.certificate(), authority.certificate()))
                    .trustManager(authority.certificate())
                    .clientAuth(ClientAuth.OPTIONAL)
                    .build();
        } catch (SSLException e) {
            throw new IllegalStateException("cannot set up TLS for the agent endpoint", e);
        }
    }

    private static ExecutorService handlerPool() {
        AtomicInteger count = new AtomicInteger();
        return new ThreadPoolExecutor(HANDLER_THREADS, HANDLER_THREADS, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), task -> {
            Thread thread = new Thread(task, "agentlink-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    /** The port agents dial; the one the system picked when configured as 0. */
    int port() {
        Server current = server;
        if (current == null) {
            throw new IllegalStateException("the agent endpoint is not running");
        }
        return current.getPort();
    }

    @Override
    public void stop() {
        Server current = server;
        if (current == null) {
            return;
        }
        current.shutdownNow();
        try {
            current.awaitTermination(5, TimeUnit.SECONDS);
            // Lets the cancelled streams record their disconnects while the database is still there.
            handlers.shutdown();
            handlers.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        server = null;
    }

    @Override
    public boolean isRunning() {
        return server != null;
    }
}
