package io.freehold.controlplane.scheduling;

import io.freehold.controlplane.scheduling.decision.Planner;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class SchedulingConfiguration {

    /** 64 feasible hosts are enough to find a good fit and few enough to decide in microseconds on 10,000 hosts. */
    @Bean
    Planner planner(@Value("${freehold.scheduling.sample-size}") int sampleSize) {
        return new Planner(sampleSize);
    }
}
