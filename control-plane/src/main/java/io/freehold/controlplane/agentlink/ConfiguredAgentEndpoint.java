package io.freehold.controlplane.agentlink;

import io.freehold.controlplane.inventory.AgentEndpoint;
import org.springframework.stereotype.Component;

/**
 * The agent endpoint as join commands name it: the first configured server name of this replica, on
 * the agent port, pinned to the installation's CA.
 */
@Component
class ConfiguredAgentEndpoint implements AgentEndpoint {

    private final AgentLinkProperties properties;
    private final CertificateAuthority authority;

    ConfiguredAgentEndpoint(AgentLinkProperties properties, CertificateAuthority authority) {
        this.properties = properties;
        this.authority = authority;
    }

    @Override
    public String address() {
        String host = properties.serverNames().isEmpty() ? "localhost" : properties.serverNames().get(0);
        // An IPv6 literal needs brackets to be told apart from the port.
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + properties.port();
    }

    @Override
    public String caFingerprint() {
        return authority.fingerprint();
    }
}
