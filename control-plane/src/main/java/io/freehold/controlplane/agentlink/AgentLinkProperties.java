package io.freehold.controlplane.agentlink;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings under {@code freehold.agentlink}.
 *
 * @param enabled whether this replica runs the agent endpoint at all
 * @param port the mTLS port agents dial; 0 picks a free one (tests)
 * @param bindAddress where to listen
 * @param caKeyFile the operator's key that encrypts the CA's private key at rest
 * @param serverNames DNS names and IP addresses agents may use for this replica; go into its certificate
 * @param advertisedAddresses {@code host:port} of every replica's agent endpoint, told to agents at join
 *        so that they can fail over; empty means agents only know the address they joined through
 * @param certificateLifetime lifetime of agent certificates; agents renew at two thirds of it
 * @param serverCertificateLifetime lifetime of the certificate this replica issues itself at start
 * @param livenessSweepInterval how often this replica looks for hosts whose heartbeats stopped
 */
@ConfigurationProperties("freehold.agentlink")
public record AgentLinkProperties(
        @DefaultValue("true") boolean enabled,
        int port,
        String bindAddress,
        Path caKeyFile,
        List<String> serverNames,
        @DefaultValue List<String> advertisedAddresses,
        Duration certificateLifetime,
        @DefaultValue("365d") Duration serverCertificateLifetime,
        @DefaultValue("1s") Duration livenessSweepInterval) {
}
