package io.freehold.controlplane.compute;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings under {@code freehold.compute}.
 *
 * @param scheduling the background scheduling pass
 * @param stopTimeout how long a guest may take to shut down gracefully before its host powers it off
 * @param consoleTimeout how long a console read waits for the host's answer before it answers 504
 */
@ConfigurationProperties("freehold.compute")
record ComputeProperties(Scheduling scheduling, Duration stopTimeout, @DefaultValue("5s") Duration consoleTimeout) {

    /**
     * @param enabled false to run no background pass (tests that drive {@link SchedulingPass} themselves)
     * @param interval the pause between two passes; a pass that found a full batch runs again at once
     * @param batchSize how many instances one pass places together, in one transaction
     * @param sweepInterval how often every pending instance's key is queued again if it went missing
     */
    record Scheduling(boolean enabled, Duration interval, int batchSize, Duration sweepInterval) {
    }
}
