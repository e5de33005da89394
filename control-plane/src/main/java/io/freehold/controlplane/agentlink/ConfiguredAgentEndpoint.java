package io.freehold.controlplane.agentlink;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;

import io.freehold.controlplane.inventory.AgentEndpoint;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * The agent endpoint as join commands name it: the first configured server name of this replica, on
 * the port it listens on (the configured one, or the one the system picked for port 0), pinned to the
 * installation's CA.
 */
@Component
class ConfiguredAgentEndpoint implements AgentEndpoint {

    /** In order of preference: an address needs no resolver, and IPv4 loopback is the one always configured. */
    private static final List<String> LOOPBACK_NAMES = List.of("127.0.0.1", "localhost", "::1");

    private final AgentLinkProperties properties;
    private final CertificateAuthority authority;
    private final ObjectProvider<AgentLinkServer> server;

    ConfiguredAgentEndpoint(AgentLinkProperties properties, CertificateAuthority authority, ObjectProvider<AgentLinkServer> server) {
        this.properties = properties;
        this.authority = authority;
        this.server = server;
    }

    @Override
    public String address() {
        String host = properties.serverNames().isEmpty() ? "localhost" : properties.serverNames().get(0);
        return hostPort(host, runningServer().map(AgentLinkServer::port).orElse(properties.port()));
    }

    @Override
    public Optional<String> loopbackAddress() {
        if (!listensOnLoopback()) {
            return Optional.empty();
        }
        return runningServer().flatMap(running -> LOOPBACK_NAMES.stream()
                .filter(properties.serverNames()::contains)
                .findFirst()
                .map(name -> hostPort(name, running.port())));
    }

    @Override
    public String caFingerprint() {
        return authority.fingerprint();
    }

    private Optional<AgentLinkServer> runningServer() {
        return Optional.ofNullable(server.getIfAvailable()).filter(AgentLinkServer::isRunning);
    }

    private boolean listensOnLoopback() {
        try {
            InetAddress bound = InetAddress.getByName(properties.bindAddress());
            return bound.isAnyLocalAddress() || bound.isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** An IPv6 literal needs brackets to be told apart from the port. */
    private static String hostPort(String host, int port) {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
