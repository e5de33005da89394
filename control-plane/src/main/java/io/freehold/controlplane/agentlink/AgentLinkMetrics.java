package io.freehold.controlplane.agentlink;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.springframework.stereotype.Component;

/**
 * What the agent link measures about itself, at {@code /actuator/prometheus}.
 * {@code freehold.agent.heartbeat.handling} is the time from a heartbeat reaching its stream's handler
 * until what it changes is committed (or it was found stale or refused), tagged with that outcome. It
 * has a percentile histogram, so p99 can be computed over any window from two scrapes, and a bucket at
 * exactly 50 ms, the budget the benchmark holds it to (docs/performance.md).
 */
@Component
class AgentLinkMetrics {

    static final String HEARTBEAT_HANDLING = "freehold.agent.heartbeat.handling";
    private static final Duration HEARTBEAT_BUDGET = Duration.ofMillis(50);

    private final Map<AgentSessions.Beat, Timer> heartbeatHandling = new EnumMap<>(AgentSessions.Beat.class);

    AgentLinkMetrics(MeterRegistry registry) {
        for (AgentSessions.Beat outcome : AgentSessions.Beat.values()) {
            heartbeatHandling.put(outcome, Timer.builder(HEARTBEAT_HANDLING)
                    .description("From a heartbeat reaching its stream's handler until its effects are committed")
                    .tag("outcome", outcome.name().toLowerCase())
                    .publishPercentileHistogram()
                    .serviceLevelObjectives(HEARTBEAT_BUDGET)
                    .register(registry));
        }
    }

    /** Records how long one heartbeat took from its handler picking it up, in nanoseconds of {@link System#nanoTime()}. */
    void heartbeatHandled(AgentSessions.Beat outcome, long startedNanos) {
        heartbeatHandling.get(outcome).record(System.nanoTime() - startedNanos, TimeUnit.NANOSECONDS);
    }
}
