package io.freehold.controlplane.compute;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

/** The background worker runs passes and sweeps on its own thread when enabled, survives a failing pass, and runs nothing when disabled. */
class SchedulingWorkerTest {

    @Test
    void anEnabledWorkerRunsPassesAgainAfterOneFailsAndSweeps() throws InterruptedException {
        CountDownLatch passes = new CountDownLatch(3);
        CountDownLatch sweeps = new CountDownLatch(1);
        AtomicInteger calls = new AtomicInteger();
        SchedulingWorker worker = new SchedulingWorker(() -> {
            passes.countDown();
            if (calls.incrementAndGet() == 1) {
                throw new IllegalStateException("the database is away");
            }
        }, sweeps::countDown, new ComputeProperties.Scheduling(true, Duration.ofMillis(10), 64, Duration.ofMillis(10)));

        worker.start();
        try {
            assertThat(worker.isRunning()).isTrue();
            assertThat(passes.await(5, TimeUnit.SECONDS)).as("three passes, the first of which failed").isTrue();
            assertThat(sweeps.await(5, TimeUnit.SECONDS)).isTrue();
        } finally {
            worker.stop();
        }
        assertThat(worker.isRunning()).isFalse();
    }

    @Test
    void aDisabledWorkerRunsNothing() throws InterruptedException {
        AtomicInteger runs = new AtomicInteger();
        SchedulingWorker worker = new SchedulingWorker(runs::incrementAndGet, runs::incrementAndGet,
                new ComputeProperties.Scheduling(false, Duration.ofMillis(1), 64, Duration.ofMillis(1)));

        worker.start();
        Thread.sleep(100);

        assertThat(worker.isRunning()).isFalse();
        assertThat(runs).hasValue(0);
    }
}
