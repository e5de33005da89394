package io.freehold.controlplane.platform;

import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

import io.freehold.controlplane.platform.ids.IdGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The only places that read the wall clock and the random source; everything else receives them. */
@Configuration(proxyBeanMethods = false)
class TimeAndIds {

    /**
     * Shifts this control plane's clock by an ISO 8601 duration ({@code P31D}, {@code -PT2H}): for drills and tests
     * that must see a month end, never for production (docs/decisions/0004). Unset, the clock is the wall clock.
     */
    static final String OFFSET_VARIABLE = "FREEHOLD_CLOCK_OFFSET";
    private static final Logger LOG = LoggerFactory.getLogger(TimeAndIds.class);

    /** Millisecond ticks: what PostgreSQL stores is exactly what the API first returned. */
    @Bean
    Clock clock() {
        Clock wall = Clock.tickMillis(ZoneOffset.UTC);
        Duration offset = offset(Objects.requireNonNullElse(System.getenv(OFFSET_VARIABLE), "").strip());
        if (offset.isZero()) {
            return wall;
        }
        LOG.warn("{}={}: this control plane's clock runs {} from the wall clock; invoices, usage and certificates follow it",
                OFFSET_VARIABLE, offset, offset);
        return Clock.offset(wall, offset);
    }

    @Bean
    IdGenerator idGenerator(Clock clock) {
        return new IdGenerator(clock);
    }

    static Duration offset(String setting) {
        if (setting.isEmpty()) {
            return Duration.ZERO;
        }
        try {
            return Duration.parse(setting).truncatedTo(ChronoUnit.MILLIS);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(OFFSET_VARIABLE + "=" + setting + " is not an ISO 8601 duration such as P31D or -PT2H", e);
        }
    }
}
