package io.freehold.bench;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;

import io.freehold.controlplane.inventory.decision.Capacity.Resources;
import io.freehold.controlplane.scheduling.decision.ClusterSnapshot;
import io.freehold.controlplane.scheduling.decision.Plan;
import io.freehold.controlplane.scheduling.decision.PlacementRequest;
import io.freehold.controlplane.scheduling.decision.Planner;

/**
 * Issue 4's benchmark (a): planner decisions per second over 10,000 hosts on one thread, the planner as
 * the control plane runs it (the same classes, from its jar), no I/O. Three workloads: ordinary requests
 * that fit (the common case, where sampling stops early), requests that fit nowhere (the worst case:
 * every host is visited to explain why), and batches of 1,000 placed one after another on one snapshot
 * (what a scheduling pass does). Prints decisions per second and per-decision latency percentiles, and a
 * final {@code RESULT} line for scripts.
 *
 * <p>Run it with {@code scripts/bench-placement.sh planner [--hosts=N] [--seconds=S]}; see docs/performance.md.
 */
public final class PlannerBenchmark {

    private static final Map<String, String> DEFAULTS = Map.of("hosts", "10000", "seconds", "10", "warmup-seconds", "3",
            "sample-size", "64", "seed", "1");
    private static final int BATCH = 1_000;

    private PlannerBenchmark() {
    }

    /** One workload's figures: decisions per second of wall time, and the thread's CPU share over the run (1.0 = one core). */
    record Figures(String workload, long decisions, double perSecond, double p50Micros, double p99Micros, double cpuShare, long placed) {
    }

    public static void main(String[] args) {
        BenchArgs options = BenchArgs.parse(args, DEFAULTS);
        List<Figures> figures = run(options.integer("hosts"), options.integer("seconds"), options.integer("warmup-seconds"),
                options.integer("sample-size"), options.integer("seed"), System.out);
        StringBuilder result = new StringBuilder("RESULT");
        figures.forEach(f -> result.append(" %s.perSecond=%.0f %s.p99Micros=%.1f".formatted(f.workload(), f.perSecond(), f.workload(), f.p99Micros())));
        System.out.println(result);
    }

    static List<Figures> run(int hostCount, int seconds, int warmupSeconds, int sampleSize, long seed, PrintStream out) {
        ClusterSnapshot snapshot = new ClusterSnapshot(SyntheticCluster.hosts(hostCount, seed));
        Planner planner = new Planner(sampleSize);
        out.printf("planner benchmark: %,d hosts, sample size %d, one thread, %d s per workload after %d s of warm-up%n",
                hostCount, sampleSize, seconds, warmupSeconds);
        Random random = new Random(seed);
        Workload fits = sequence -> List.of(planner.place(SyntheticCluster.request(random, sequence), snapshot, seed + sequence));
        Workload fitsNowhere = sequence -> List.of(planner.place(new PlacementRequest("instance:i-" + sequence,
                new Resources(1024, 1024, 10), null, Map.of(), null, SyntheticCluster.request(random, sequence).scoring()), snapshot, sequence));
        Workload batches = sequence -> planner.placeAll(
                IntStream.range(0, BATCH).mapToObj(i -> SyntheticCluster.request(random, sequence + i)).toList(),
                snapshot, sequence);
        List<Figures> figures = List.of(measure("fits", fits, seconds, warmupSeconds), measure("fitsNowhere", fitsNowhere, seconds, warmupSeconds),
                measure("batchOf1000", batches, seconds, warmupSeconds));
        figures.forEach(f -> out.printf("  %-12s %,12.0f decisions/s   p50 %8.1f µs   p99 %8.1f µs   %,d decisions, %,d placed, CPU %.2f core%n",
                f.workload(), f.perSecond(), f.p50Micros(), f.p99Micros(), f.decisions(), f.placed(), f.cpuShare()));
        return figures;
    }

    /** Decides in a loop; one call may make several decisions (a batch), whose latency each is the call's divided evenly. */
    @FunctionalInterface
    private interface Workload {
        List<Plan> decide(int sequence);
    }

    private static Figures measure(String name, Workload workload, int seconds, int warmupSeconds) {
        int sequence = 0;
        long warmupEnd = System.nanoTime() + warmupSeconds * 1_000_000_000L;
        while (System.nanoTime() < warmupEnd) {
            sequence += workload.decide(sequence).size();
        }
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        LatencySamples latencies = new LatencySamples();
        long decisions = 0;
        long placed = 0;
        long cpuStart = threads.getCurrentThreadCpuTime();
        long start = System.nanoTime();
        long end = start + seconds * 1_000_000_000L;
        long now = start;
        while (now < end) {
            List<Plan> plans = workload.decide(sequence);
            long after = System.nanoTime();
            latencies.add((after - now) / plans.size());
            now = after;
            decisions += plans.size();
            sequence += plans.size();
            placed += plans.stream().filter(plan -> plan.host() != null).count();
        }
        double elapsed = (now - start) / 1e9;
        double cpu = (threads.getCurrentThreadCpuTime() - cpuStart) / 1e9;
        return new Figures(name, decisions, decisions / elapsed, latencies.quantileMillis(0.5) * 1000, latencies.quantileMillis(0.99) * 1000,
                cpu / elapsed, placed);
    }
}
