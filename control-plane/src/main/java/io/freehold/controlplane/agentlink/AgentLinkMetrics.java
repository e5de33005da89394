package io.freehold.controlplane.agentlink;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.springframework.stereotype.Component;

/**
 * What the agent link measures about itself, at {@code /actuator/prometheus}.
 * {@code freehold.agent.heartbeat.handling} is the time from a heartbeat being handed to
 * {@link HeartbeatWriter} by its stream's handler until the batch that recorded it committed (or found
 * it stale or refused), tagged with that outcome: the wait for a batch is part of it. It
 * has a percentile histogram, so p99 can be computed over any window from two scrapes, and a bucket at
 * exactly 50 ms, the budget the benchmark holds it to (docs/performance.md).
 * {@code freehold.agent.heartbeat.batch} counts the heartbeats each of the writer's transactions held:
 * how much coalescing the load called for. {@code freehold.agent.image.fetches} counts FetchImage calls by how they
 * ended, and {@code freehold.agent.image.bytes} the image bytes sent to agents.
 */
@Component
class AgentLinkMetrics {

    static final String HEARTBEAT_HANDLING = "freehold.agent.heartbeat.handling";
    private static final Duration HEARTBEAT_BUDGET = Duration.ofMillis(50);

    private final Map<AgentSessions.Beat, Timer> heartbeatHandling = new EnumMap<>(AgentSessions.Beat.class);
    private final DistributionSummary heartbeatBatch;
    private final Map<GuestReports.Outcome, Counter> guestReports = new EnumMap<>(GuestReports.Outcome.class);
    private final Map<ImageFetches.Outcome, Counter> imageFetches = new EnumMap<>(ImageFetches.Outcome.class);
    private final Counter imageBytes;

    AgentLinkMetrics(MeterRegistry registry) {
        for (AgentSessions.Beat outcome : AgentSessions.Beat.values()) {
            heartbeatHandling.put(outcome, Timer.builder(HEARTBEAT_HANDLING)
                    .description("From a heartbeat being handed to the heartbeat writer until its batch committed")
                    .tag("outcome", outcome.name().toLowerCase())
                    .publishPercentileHistogram()
                    .serviceLevelObjectives(HEARTBEAT_BUDGET)
                    .register(registry));
        }
        heartbeatBatch = DistributionSummary.builder("freehold.agent.heartbeat.batch")
                .description("Heartbeats recorded by one transaction of the heartbeat writer")
                .baseUnit("heartbeats")
                .register(registry);
        for (GuestReports.Outcome outcome : GuestReports.Outcome.values()) {
            guestReports.put(outcome, Counter.builder("freehold.agent.guest.reports")
                    .description("Lifecycle reports from agents: recorded, already recorded before, or rejected (unreadable, or "
                            + "about an instance never placed on the reporting host)")
                    .tag("outcome", outcome.name().toLowerCase())
                    .register(registry));
        }
        for (ImageFetches.Outcome outcome : ImageFetches.Outcome.values()) {
            imageFetches.put(outcome, Counter.builder("freehold.agent.image.fetches")
                    .description("FetchImage calls by how they ended: served to the end, refused (invalid, denied, not_found, "
                            + "out_of_range), cancelled by the agent, or failed reading the file")
                    .tag("outcome", outcome.name().toLowerCase())
                    .register(registry));
        }
        imageBytes = Counter.builder("freehold.agent.image.bytes")
                .description("Image bytes sent to agents by FetchImage")
                .baseUnit("bytes")
                .register(registry);
    }

    void imageFetch(ImageFetches.Outcome outcome) {
        imageFetches.get(outcome).increment();
    }

    void imageBytesSent(long bytes) {
        imageBytes.increment(bytes);
    }

    void guestReport(GuestReports.Outcome outcome) {
        guestReports.get(outcome).increment();
    }

    void heartbeatBatchWritten(int heartbeats) {
        heartbeatBatch.record(heartbeats);
    }

    /** Records how long one heartbeat took since {@code startedNanos}, a {@link System#nanoTime()} reading. */
    void heartbeatHandled(AgentSessions.Beat outcome, long startedNanos) {
        heartbeatHandling.get(outcome).record(System.nanoTime() - startedNanos, TimeUnit.NANOSECONDS);
    }
}
