package io.freehold.controlplane.metering;

import java.util.List;

import io.freehold.controlplane.platform.BackgroundThread;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Drains the {@value UsageRecomputePass#QUEUE_KIND} keys in the background on every replica, on a thread of its
 * own: a pass every {@code freehold.metering.recompute.interval}, at once again after a full batch. Off with
 * {@code freehold.metering.recompute.enabled=false}.
 */
@Component
class UsageRecomputeWorker implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(UsageRecomputeWorker.class);

    private final UsageRecomputePass pass;
    private final MeteringProperties.Recompute settings;
    private final UsageMetrics metrics;
    private final BackgroundThread thread = new BackgroundThread("usage-recompute");

    UsageRecomputeWorker(UsageRecomputePass pass, MeteringProperties properties, UsageMetrics metrics) {
        this.pass = pass;
        this.settings = properties.recompute();
        this.metrics = metrics;
    }

    @Override
    public void start() {
        if (settings.enabled()) {
            thread.start(List.of(new BackgroundThread.Periodic(this::drain, settings.interval())));
        }
    }

    @Override
    public void stop() {
        thread.stop();
    }

    @Override
    public boolean isRunning() {
        return thread.isRunning();
    }

    /** Runs passes until one finds less than a full batch; a failed pass is logged and left to the next run. */
    void drain() {
        try {
            while (metrics.timePass(pass::runOnce) >= pass.batchSize() && !Thread.currentThread().isInterrupted()) {
                // a full batch: more may be due
            }
        } catch (RuntimeException e) {
            // One line, not a stack trace every interval while the database is away; the next run tries again.
            log.warn("usage recompute pass failed: {}", e.toString());
        }
    }
}
