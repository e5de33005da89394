package io.freehold.controlplane.agentlink;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings under {@code freehold.agentlink}.
 *
 * @param port the mTLS port agents dial; 0 picks a free one (tests)
 * @param bindAddress where to listen
 * @param caKeyFile the operator's key that encrypts the CA's private key at rest
 * @param serverNames DNS names and IP addresses agents may use for this replica; go into its certificate
 * @param certificateLifetime lifetime of agent certificates; agents renew at two thirds of it
 */
@ConfigurationProperties("freehold.agentlink")
public record AgentLinkProperties(
        int port,
        String bindAddress,
        Path caKeyFile,
        List<String> serverNames,
        Duration certificateLifetime) {
}
