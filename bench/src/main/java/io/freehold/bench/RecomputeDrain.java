package io.freehold.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

import io.freehold.controlplane.metering.UsageRecomputePass;

/**
 * Drains the {@code usage} keys as W replicas' rollup workers would: W threads each run the worker's own pass
 * ({@link UsageRecomputePass#runOnce}) until a pass finds no key, with a progress line every 30 s. Measures the drain's
 * wall time and the CPU of this JVM, of PostgreSQL (the postmaster's process tree) and of everything else on the machine.
 *
 * @param seconds     wall time
 * @param jvmCpu      CPU seconds of this JVM (the control plane's, in process)
 * @param postgresCpu CPU seconds of PostgreSQL
 * @param otherCpu    CPU seconds of every other process on the machine
 */
record RecomputeDrain(double seconds, double jvmCpu, double postgresCpu, double otherCpu) {

    private static final long PROGRESS_EVERY_MILLIS = 30_000;

    static RecomputeDrain run(UsageRecomputePass pass, int workers, ProcessHandle postgres, PrintStream out) throws Exception {
        double jvmBefore = CpuTime.secondsOf(ProcessHandle.current());
        double postgresBefore = CpuTime.secondsOfTree(postgres);
        double machineBefore = Machine.busyCpuSeconds();
        long start = System.nanoTime();
        AtomicLong claimed = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(workers);
        List<Future<?>> running = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
            running.add(pool.submit(() -> {
                for (int n = pass.runOnce(); n > 0; n = pass.runOnce()) {
                    claimed.addAndGet(n);
                }
            }));
        }
        long nextProgress = System.currentTimeMillis() + PROGRESS_EVERY_MILLIS;
        for (Future<?> worker : running) {
            while (!worker.isDone()) {
                Thread.sleep(200);
                if (System.currentTimeMillis() >= nextProgress) {
                    nextProgress += PROGRESS_EVERY_MILLIS;
                    out.printf("  %.0f s: %,d instances recomputed; load average %s%n", (System.nanoTime() - start) / 1e9, claimed.get(),
                            Machine.loadAverage());
                }
            }
            worker.get();
        }
        pool.shutdown();
        double wall = (System.nanoTime() - start) / 1e9;
        double jvm = CpuTime.secondsOf(ProcessHandle.current()) - jvmBefore;
        double postgresCpu = CpuTime.secondsOfTree(postgres) - postgresBefore;
        return new RecomputeDrain(wall, jvm, postgresCpu, Machine.busyCpuSeconds() - machineBefore - jvm - postgresCpu);
    }
}
