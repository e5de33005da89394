package io.freehold.controlplane.localagent;

import java.nio.file.Path;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings under {@code freehold.local-agent}; they matter only in all-in-one mode (the embedded database).
 *
 * @param enabled whether all-in-one mode runs an agent for this machine
 * @param jar the agent's runnable jar ({@code FREEHOLD_AGENT_JAR}, which {@code scripts/all-in-one.sh} sets); blank for none
 * @param directory the agent's config, state dir, pid file and log
 * @param metricsAddress where the agent serves its Prometheus metrics; port 0 picks a free one
 * @param libvirtUri a libvirt URI to use instead of the automatic choice; blank for automatic
 */
@ConfigurationProperties("freehold.local-agent")
public record LocalAgentProperties(
        @DefaultValue("true") boolean enabled,
        String jar,
        Path directory,
        @DefaultValue("127.0.0.1:9464") String metricsAddress,
        String libvirtUri) {

    Path config() {
        return directory.resolve("agent.yaml");
    }

    Path stateDir() {
        return directory.resolve("state");
    }

    Path pidFile() {
        return directory.resolve("agent.pid");
    }

    Path log() {
        return directory.resolve("agent.log");
    }
}
