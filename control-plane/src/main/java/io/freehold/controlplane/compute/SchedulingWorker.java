package io.freehold.controlplane.compute;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Runs {@link SchedulingPass} in the background on a thread of its own, so that a slow batch never
 * delays the shared scheduler's tasks (the liveness sweep): a pass every {@code interval}, at once again
 * after a full batch, and the sweep every {@code sweepInterval}. Off with
 * {@code freehold.compute.scheduling.enabled=false}.
 */
@Component
class SchedulingWorker implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(SchedulingWorker.class);

    private final Runnable pass;
    private final Runnable sweep;
    private final ComputeProperties.Scheduling settings;
    private ScheduledExecutorService executor;

    @Autowired
    SchedulingWorker(SchedulingPass pass, ComputeProperties properties) {
        this(() -> drain(pass, properties.scheduling().batchSize()), pass::sweep, properties.scheduling());
    }

    /** For tests: any pass and sweep. */
    SchedulingWorker(Runnable pass, Runnable sweep, ComputeProperties.Scheduling settings) {
        this.pass = pass;
        this.sweep = sweep;
        this.settings = settings;
    }

    @Override
    public synchronized void start() {
        if (!settings.enabled() || executor != null) {
            return;
        }
        executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "instance-scheduling");
            thread.setDaemon(true);
            return thread;
        });
        executor.scheduleWithFixedDelay(() -> guarded("pass", pass), 0, millis(settings.interval()), TimeUnit.MILLISECONDS);
        executor.scheduleWithFixedDelay(() -> guarded("sweep", sweep), 0, millis(settings.sweepInterval()), TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized void stop() {
        if (executor == null) {
            return;
        }
        executor.shutdownNow();
        try {
            executor.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        executor = null;
    }

    @Override
    public synchronized boolean isRunning() {
        return executor != null;
    }

    private static void drain(SchedulingPass pass, int batchSize) {
        while (pass.runOnce() >= batchSize && !Thread.currentThread().isInterrupted()) {
            // a full batch: more may be due
        }
    }

    private static void guarded(String what, Runnable task) {
        try {
            task.run();
        } catch (RuntimeException e) {
            // One line, not a stack trace every interval while the database is away; the next run tries again.
            log.warn("instance scheduling {} failed: {}", what, e.toString());
        }
    }

    private static long millis(Duration duration) {
        return Math.max(1, duration.toMillis());
    }
}
