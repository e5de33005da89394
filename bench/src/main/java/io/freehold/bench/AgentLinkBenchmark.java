package io.freehold.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import io.freehold.agent.config.HostPort;
import io.freehold.agent.identity.AgentIdentity;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The agent-link benchmark: how many agents one control-plane replica holds, and the p99 of its heartbeat handling.
 * Starts the packaged control plane, joins and connects the simulated fleet, lets it settle, then measures over a
 * window: what the control plane's metrics say about the heartbeats it handled, what its database says about the
 * hosts, and how much CPU each process used. Prints numbers; judges nothing but whether the fleet was held.
 */
@Command(name = "freehold-bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Runs the control plane jar with embedded PostgreSQL (fsync on) and N simulated agents against it.")
public final class AgentLinkBenchmark implements Callable<Integer> {

    /** The budget docs/performance.md states for heartbeat handling; one of the histogram's bucket bounds. */
    static final double BUDGET_SECONDS = 0.050;
    private static final String HANDLING = "freehold_agent_heartbeat_handling_seconds";
    private static final String QUEUE_WAIT = "executor_idle_seconds";
    private static final String BATCH = "freehold_agent_heartbeat_batch_heartbeats";
    private static final Duration STARTUP_LIMIT = Duration.ofMinutes(2);
    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(30);

    /**
     * What to run.
     *
     * @param warmup how long after the last Welcome to wait before measuring, so that every agent is heartbeating
     * @param window how long to measure
     * @param connectParallelism Hellos waiting for their Welcome at once
     * @param workDir the control plane's data directory (its PostgreSQL data included); a new temporary one when null,
     *        removed afterwards
     */
    record Plan(int agents, Duration warmup, Duration window, int joinParallelism, int connectParallelism, Path controlPlaneJar,
                List<String> controlPlaneJvmOptions, Path workDir) {
    }

    /** What a run found; {@link #held()} says whether every agent asked for stayed connected and its host READY. */
    record Result(int agentsAsked, int joined, int welcomed, int failedToConnect, int dropped, Map<String, Long> hostStates,
                  Map<String, Long> hostEventsInWindow, long heartbeatsSentInWindow, double heartbeatsHandledInWindow,
                  double handlingP99Seconds, double shareWithinBudget, Map<String, String> durability) {

        boolean held() {
            return welcomed == agentsAsked && dropped == 0 && hostStates.getOrDefault("READY", 0L) == agentsAsked
                    && hostEventsInWindow.getOrDefault("missed-heartbeats", 0L) == 0
                    && hostEventsInWindow.getOrDefault("disconnected", 0L) == 0;
        }
    }

    @Option(names = "--agents", description = "Simulated hosts (default: ${DEFAULT-VALUE}).")
    int agents = 10_000;
    @Option(names = "--warmup-seconds", description = "Wait after the last Welcome before measuring (default: ${DEFAULT-VALUE}).")
    int warmupSeconds = 10;
    @Option(names = "--window-seconds", description = "Measurement window (default: ${DEFAULT-VALUE}).")
    int windowSeconds = 300;
    @Option(names = "--join-parallelism", description = "Joins in flight at once (default: ${DEFAULT-VALUE}).")
    int joinParallelism = 8;
    @Option(names = "--connect-parallelism", description = "Hellos awaiting their Welcome at once (default: ${DEFAULT-VALUE}).")
    int connectParallelism = 64;
    @Option(names = "--control-plane-jar", description = "The jar under test (default: ${DEFAULT-VALUE}).")
    Path controlPlaneJar = Path.of("control-plane/target/freehold-control-plane.jar");
    @Option(names = "--control-plane-jvm-option", description = "A JVM option for the control plane, e.g. -Xmx1g; repeatable.")
    List<String> controlPlaneJvmOptions = new ArrayList<>();
    @Option(names = "--work-dir", description = "Data directory for the control plane, kept afterwards (default: a temporary one, removed).")
    Path workDir;

    public static void main(String[] args) {
        System.exit(new CommandLine(new AgentLinkBenchmark()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        Plan plan = new Plan(agents, Duration.ofSeconds(warmupSeconds), Duration.ofSeconds(windowSeconds), joinParallelism,
                connectParallelism, controlPlaneJar, controlPlaneJvmOptions, workDir);
        return run(plan, System.out).held() ? 0 : 1;
    }

    static Result run(Plan plan, PrintStream out) throws Exception {
        try (WorkDirectory home = WorkDirectory.of(plan.workDir(), "freehold-bench-")) {
            printMachine(out, plan);
            long starting = System.nanoTime();
            try (ControlPlaneProcess controlPlane = ControlPlaneProcess.start(plan.controlPlaneJar(), home.path(),
                    plan.controlPlaneJvmOptions(), STARTUP_LIMIT)) {
                out.printf("control plane: pid %d, healthy after %.1f s, log %s%n", controlPlane.pid(),
                        AgentSimulator.seconds(System.nanoTime() - starting), controlPlane.log());
                return measure(plan, controlPlane, out);
            }
        }
    }

    private static Result measure(Plan plan, ControlPlaneProcess controlPlane, PrintStream out) throws Exception {
        try (ControlPlaneDatabase database = ControlPlaneDatabase.connect(controlPlane.postgresPort())) {
            Map<String, String> durability = database.durability();
            out.println("PostgreSQL (embedded, as read back from the server): " + durability);
            OpsClient ops = new OpsClient(controlPlane.apiBase(), controlPlane.adminToken());
            try (AgentSimulator simulator = new AgentSimulator(new HostPort("127.0.0.1", controlPlane.agentPort()), ops, out)) {
                out.printf("joining %d hosts, %d at a time (join token over REST, then Join over TLS pinned to the CA)%n",
                        plan.agents(), plan.joinParallelism());
                long joinStarted = System.nanoTime();
                List<AgentIdentity> identities = simulator.join(plan.agents(), plan.joinParallelism());
                double joinSeconds = AgentSimulator.seconds(System.nanoTime() - joinStarted);
                out.printf("joined %d hosts in %.1f s: %.0f joins/s; per host: token p50 %.1f ms p99 %.1f ms, Join p50 %.1f ms p99 %.1f ms%n",
                        identities.size(), joinSeconds, identities.size() / joinSeconds,
                        simulator.tokenLatency.quantileMillis(0.5), simulator.tokenLatency.quantileMillis(0.99),
                        simulator.joinLatency.quantileMillis(0.5), simulator.joinLatency.quantileMillis(0.99));

                out.printf("connecting %d streams over mutual TLS, %d Hellos in flight at most%n", identities.size(),
                        plan.connectParallelism());
                long connectStarted = System.nanoTime();
                simulator.connect(identities, plan.connectParallelism(), Duration.ofSeconds(60 + identities.size() / 20));
                double connectSeconds = AgentSimulator.seconds(System.nanoTime() - connectStarted);
                out.printf("welcomed %d streams in %.1f s: %.0f/s, %d failed; Hello->Welcome p50 %.1f ms p99 %.1f ms%n",
                        simulator.welcomed.get(), connectSeconds, simulator.welcomed.get() / connectSeconds,
                        simulator.failedToConnect.get(), simulator.welcomeLatency.quantileMillis(0.5),
                        simulator.welcomeLatency.quantileMillis(0.99));

                out.printf("warming up for %d s, then measuring for %d s%n", plan.warmup().toSeconds(), plan.window().toSeconds());
                Thread.sleep(plan.warmup().toMillis());
                Snapshot before = Snapshot.take(ops, controlPlane, simulator);
                Instant windowStart = Instant.now();
                for (long left = plan.window().toMillis(); left > 0; left -= PROGRESS_EVERY.toMillis()) {
                    Thread.sleep(Math.min(left, PROGRESS_EVERY.toMillis()));
                    out.printf("  %s: %d streams open, %d heartbeats sent so far%n", clock(Instant.now()), simulator.open(),
                            simulator.heartbeatsSent.sum());
                }
                Snapshot after = Snapshot.take(ops, controlPlane, simulator);
                Map<String, Long> states = database.hostStates();
                Map<String, Long> events = database.hostEventsSince(windowStart);
                return report(plan, identities.size(), simulator, before, after, states, events, durability, out);
            }
        }
    }

    /** What is read at the start and end of the measurement window. */
    private record Snapshot(long nanos, PrometheusScrape metrics, double controlPlaneCpu, double postgresCpu, double simulatorCpu,
                            long controlPlaneResident, long heartbeatsSent, long backpressured) {

        static Snapshot take(OpsClient ops, ControlPlaneProcess controlPlane, AgentSimulator simulator)
                throws IOException, InterruptedException {
            return new Snapshot(System.nanoTime(), ops.scrape(),
                    CpuTime.secondsOf(ProcessHandle.of(controlPlane.pid()).orElseThrow()),
                    controlPlane.postmaster().map(CpuTime::secondsOfTree).orElse(0.0),
                    CpuTime.secondsOf(ProcessHandle.current()), CpuTime.residentBytes(controlPlane.pid()),
                    simulator.heartbeatsSent.sum(), simulator.heartbeatsBackpressured.sum());
        }
    }

    private static Result report(Plan plan, int joined, AgentSimulator simulator, Snapshot before, Snapshot after,
                                 Map<String, Long> states, Map<String, Long> events, Map<String, String> durability, PrintStream out) {
        double window = AgentSimulator.seconds(after.nanos() - before.nanos());
        PrometheusScrape.Histogram handling = after.metrics().histogram(HANDLING, Map.of("outcome", "recorded"))
                .since(before.metrics().histogram(HANDLING, Map.of("outcome", "recorded")));
        PrometheusScrape.Histogram queue = after.metrics().histogram(QUEUE_WAIT, Map.of("name", "agentlink"))
                .since(before.metrics().histogram(QUEUE_WAIT, Map.of("name", "agentlink")));
        double notRecorded = delta(before, after, HANDLING + "_count") - handling.count();
        long sent = after.heartbeatsSent() - before.heartbeatsSent();
        Result result = new Result(plan.agents(), joined, simulator.welcomed.get(), simulator.failedToConnect.get(),
                simulator.dropped.get(), states, events, sent, handling.count(), handling.quantile(0.99),
                handling.shareAtOrBelow(BUDGET_SECONDS), durability);

        out.println();
        out.printf("== result (window of %.0f s ending %s) ==%n", window, clock(Instant.now()));
        out.printf("agents: %d asked, %d joined, %d welcomed, %d failed to connect, %d streams dropped after Welcome %s%n",
                plan.agents(), joined, simulator.welcomed.get(), simulator.failedToConnect.get(), simulator.dropped.get(),
                simulator.endings.isEmpty() ? "" : "(endings by status: " + simulator.endings + ")");
        out.printf("hosts by state at the end: %s; host events in the window: %s%n", states, events.isEmpty() ? "none" : events);
        out.printf("heartbeats: %d sent by the simulator (%.0f/s, %d while the stream was not ready), %.0f handled by the control plane "
                        + "(%.0f/s)%s%n", sent, sent / window, after.backpressured() - before.backpressured(), handling.count(),
                handling.count() / window, notRecorded > 0 ? String.format(", %.0f more stale or refused", notRecorded) : "");
        out.printf("heartbeat handling (control plane, freehold.agent.heartbeat.handling): p50 %s, p99 %s, p99.9 %s, mean %s; "
                        + "%.3f%% within %.0f ms%n", millis(handling.quantile(0.5)), millis(handling.quantile(0.99)),
                millis(handling.quantile(0.999)), millis(handling.mean()), 100 * handling.shareAtOrBelow(BUDGET_SECONDS),
                BUDGET_SECONDS * 1000);
        out.printf("handler pool queue wait (executor.idle, name=agentlink): p50 %s, p99 %s, over %.0f tasks%n",
                millis(queue.quantile(0.5)), millis(queue.quantile(0.99)), queue.count());
        double batches = delta(before, after, BATCH + "_count");
        out.printf("heartbeat writer: %.0f transactions (%.0f/s), %.1f heartbeats per transaction on average%n", batches,
                batches / window, delta(before, after, BATCH + "_sum") / batches);
        out.printf("CPU cores used (of %d, shared): control plane %.2f, PostgreSQL %.2f, simulator %.2f%n",
                Runtime.getRuntime().availableProcessors(), (after.controlPlaneCpu() - before.controlPlaneCpu()) / window,
                (after.postgresCpu() - before.postgresCpu()) / window, (after.simulatorCpu() - before.simulatorCpu()) / window);
        out.printf("control plane memory: heap used %s of %s committed, RSS %s, %.0f open files%n",
                Machine.mib(after.metrics().sum("jvm_memory_used_bytes", Map.of("area", "heap"))),
                Machine.mib(after.metrics().sum("jvm_memory_committed_bytes", Map.of("area", "heap"))),
                Machine.mib(after.controlPlaneResident()),
                after.metrics().sum("process_files_open_files", Map.of()));
        out.printf("simulator memory: heap used %s, RSS %s%n",
                Machine.mib(Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory()), Machine.mib(CpuTime.residentBytes(ProcessHandle.current().pid())));
        out.printf("target %d agents with heartbeat handling p99 < %.0f ms: %s held, p99 %s%n", plan.agents(), BUDGET_SECONDS * 1000,
                result.held() ? "all" : "NOT all", millis(result.handlingP99Seconds()));
        return result;
    }

    private static double delta(Snapshot before, Snapshot after, String name) {
        return after.metrics().sum(name, Map.of()) - before.metrics().sum(name, Map.of());
    }

    private static void printMachine(PrintStream out, Plan plan) {
        out.printf("freehold agent-link benchmark, %s%n", DateTimeFormatter.ISO_INSTANT.format(Instant.now().truncatedTo(ChronoUnit.SECONDS)));
        out.printf("machine: %s%n", Machine.describe());
        out.printf("plan: %d agents, warm-up %d s, window %d s, control plane %s %s; simulator JVM %s%n", plan.agents(),
                plan.warmup().toSeconds(), plan.window().toSeconds(), plan.controlPlaneJar(), plan.controlPlaneJvmOptions(),
                ManagementFactory.getRuntimeMXBean().getInputArguments());
    }

    private static String clock(Instant instant) {
        return DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC).format(instant) + "Z";
    }

    private static String millis(double seconds) {
        return Double.isNaN(seconds) ? "n/a" : String.format("%.1f ms", seconds * 1000);
    }
}
