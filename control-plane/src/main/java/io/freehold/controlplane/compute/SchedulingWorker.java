package io.freehold.controlplane.compute;

import java.util.List;

import io.freehold.controlplane.platform.BackgroundThread;
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
    private final BackgroundThread thread = new BackgroundThread("instance-scheduling");

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
    public void start() {
        if (settings.enabled()) {
            thread.start(List.of(new BackgroundThread.Periodic(() -> guarded("pass", pass), settings.interval()),
                    new BackgroundThread.Periodic(() -> guarded("sweep", sweep), settings.sweepInterval())));
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
}
