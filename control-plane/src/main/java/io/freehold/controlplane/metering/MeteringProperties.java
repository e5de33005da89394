package io.freehold.controlplane.metering;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Metering's background work (docs/metering.md).
 *
 * @param recompute the worker that drains the {@code usage} keys on every replica
 * @param sweep     the clustered Quartz job that queues every instance whose hours are not all settled
 */
@ConfigurationProperties("freehold.metering")
record MeteringProperties(@DefaultValue Recompute recompute, @DefaultValue Sweep sweep) {

    /**
     * @param enabled   false to run no background worker (tests that drive {@link UsageRecomputePass} themselves)
     * @param interval  the pause between two passes; a pass that found a full batch runs again at once
     * @param batchSize how many instances one pass claims, recomputed in one transaction (a savepoint each)
     */
    record Recompute(@DefaultValue("true") boolean enabled, @DefaultValue("2s") Duration interval,
                     @DefaultValue("16") int batchSize) {
    }

    /**
     * @param cron    when the sweep runs (Quartz cron, UTC); one replica of the cluster runs each firing
     * @param settled how long after its last recorded fact a deleted instance is no longer swept
     */
    record Sweep(@DefaultValue("0 */5 * * * ?") String cron, @DefaultValue("1h") Duration settled) {
    }
}
