package io.freehold.controlplane.agentlink;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class AgentLinkConfiguration {

    /** Which replica this process is, for the sessions it holds; new on every start. */
    @Bean
    ReplicaId replicaId() {
        return ReplicaId.generate();
    }
}
