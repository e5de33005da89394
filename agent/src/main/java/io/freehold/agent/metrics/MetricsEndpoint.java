package io.freehold.agent.metrics;

import java.io.IOException;
import java.io.UncheckedIOException;

import io.freehold.agent.config.HostPort;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;

/** The HTTP server that exposes {@link AgentMetrics} at {@code /metrics}; port 0 picks a free port (tests). */
public final class MetricsEndpoint implements AutoCloseable {

    private final HTTPServer server;

    private MetricsEndpoint(HTTPServer server) {
        this.server = server;
    }

    /** @throws UncheckedIOException naming the address when it cannot be bound, e.g. because it is in use */
    public static MetricsEndpoint start(HostPort address, AgentMetrics metrics) {
        try {
            return new MetricsEndpoint(HTTPServer.builder().hostname(address.host()).port(address.port())
                    .registry(metrics.registry()).buildAndStart());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serve metrics on " + address + ": " + e.getMessage(), e);
        }
    }

    public int port() {
        return server.getPort();
    }

    @Override
    public void close() {
        server.close();
    }
}
