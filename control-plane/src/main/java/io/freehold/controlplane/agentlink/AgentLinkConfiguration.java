package io.freehold.controlplane.agentlink;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class AgentLinkConfiguration {

    private static final Logger log = LoggerFactory.getLogger(AgentLinkConfiguration.class);

    /**
     * Which replica this process is, for the sessions it holds; new on every start. Logged, because
     * replicas on one machine share the hostname part: the log is how an operator reading
     * {@code agent_session.replica_id} finds the process that holds a host.
     */
    @Bean
    ReplicaId replicaId() {
        ReplicaId id = ReplicaId.generate();
        log.info("this control plane is replica {} (agent_session.replica_id of the hosts it holds)", id);
        return id;
    }
}
