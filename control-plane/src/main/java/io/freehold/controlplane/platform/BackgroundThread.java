package io.freehold.controlplane.platform;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * One named daemon thread running a background worker's tasks at fixed delays, so that a slow task never delays the
 * shared scheduler's: what the workers that start and stop with the application share.
 */
public final class BackgroundThread {

    private final String name;
    private ScheduledExecutorService executor;

    public BackgroundThread(String name) {
        this.name = name;
    }

    /** A task run at once and then again {@code delay} after each run ends (at least 1 ms). */
    public record Periodic(Runnable task, Duration delay) {
    }

    /** Starts the thread with its tasks; a thread already started is left as it is. */
    public synchronized void start(List<Periodic> tasks) {
        if (executor != null) {
            return;
        }
        executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        });
        for (Periodic periodic : tasks) {
            executor.scheduleWithFixedDelay(periodic.task(), 0, Math.max(1, periodic.delay().toMillis()), TimeUnit.MILLISECONDS);
        }
    }

    /** Interrupts the running task and waits up to 10 s for it to end. */
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

    public synchronized boolean isRunning() {
        return executor != null;
    }
}
