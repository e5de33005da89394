package io.freehold.controlplane.platform;

import java.time.Clock;
import java.time.ZoneOffset;

import io.freehold.controlplane.platform.ids.IdGenerator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The only places that read the wall clock and the random source; everything else receives them. */
@Configuration(proxyBeanMethods = false)
class TimeAndIds {

    /** Millisecond ticks: what PostgreSQL stores is exactly what the API first returned. */
    @Bean
    Clock clock() {
        return Clock.tickMillis(ZoneOffset.UTC);
    }

    @Bean
    IdGenerator idGenerator(Clock clock) {
        return new IdGenerator(clock);
    }
}
