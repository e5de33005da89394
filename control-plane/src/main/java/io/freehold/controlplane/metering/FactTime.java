package io.freehold.controlplane.metering;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** The time metering gives a fact: the observer's clock corrected to the control plane's, in whole seconds. */
public final class FactTime {

    private FactTime() {
    }

    /**
     * @param agentTime   when the agent observed the fact, by its clock
     * @param clockOffset server clock minus that agent's clock, measured at its Hello
     */
    public static Instant corrected(Instant agentTime, Duration clockOffset) {
        return wholeSeconds(agentTime.plus(clockOffset));
    }

    /** Truncated, never rounded: a fact is never moved into a later second (or hour) than it happened in. */
    public static Instant wholeSeconds(Instant instant) {
        return instant.truncatedTo(ChronoUnit.SECONDS);
    }
}
