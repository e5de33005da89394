package io.freehold.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
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
import tools.jackson.databind.JsonNode;

/**
 * Issue 5's benchmark: instance creates per second end to end, from the tenant's POST to the instance seen RUNNING
 * through the API. Starts the packaged control plane (embedded PostgreSQL, fsync and synchronous_commit on), joins N
 * hosts the real way and runs the real agent for each in this JVM, on a private instance of libvirt's test driver
 * ({@link InProcessAgents}), gives the hosts room through the ops API, makes a tenant with a member's API token and a
 * flavor, then runs the {@link CreateLoad} and measures over a window. Afterwards it checks from the database and the
 * hosts' disks that every instance created runs, once, as its host's agent observed it. Prints numbers; judges nothing
 * but whether every create ended RUNNING.
 */
@Command(name = "bench-instances", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Creates instances through the API of the control plane jar and times them until they are RUNNING on N simulated hosts.")
public final class InstanceCreateBenchmark implements Callable<Integer> {

    private static final Duration STARTUP_LIMIT = Duration.ofMinutes(2);
    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(10);
    private static final int JOIN_PARALLELISM = 8;
    private static final Duration READY_LIMIT = Duration.ofMinutes(2);
    /** How long the agents' lifecycle reports may take to be recorded after the last instance was seen RUNNING. */
    private static final Duration REPORTS_LIMIT = Duration.ofSeconds(30);
    /**
     * The agents report this machine's facts (a few CPU threads, a few GiB), which would hold a handful of guests per
     * host at the default overcommit ratios; ops give each host the highest ratios the API allows, so that the fleet
     * holds thousands of one-vCPU guests. Placement decides on these numbers exactly as on others.
     */
    private static final Map<String, Object> ROOM = Map.of("cpuRatio", 100, "memoryRatio", 100, "diskRatio", 100);
    /**
     * The image every instance boots: a kernel+initrd pair, whose root disk the agent writes itself. The test driver runs
     * no guest, so any bytes do; each host fetches them once, at its first create, over its mutual-TLS link.
     */
    private static final byte[] KERNEL = new byte[256 * 1024];
    private static final byte[] INITRD = new byte[128 * 1024];

    /** The flavor every instance gets: the smallest common shape, so that 100 hosts hold tens of thousands. */
    private static final Map<String, Object> FLAVOR = Map.of("name", "bench-small", "vcpus", 1, "memoryMib", 512, "rootDiskGib", 1);
    /** Room for every instance a run can create, so quota never refuses one. */
    private static final Map<String, Object> QUOTA = Map.of("vcpus", 1_000_000, "memoryMib", 1L << 40, "diskGib", 1L << 40,
            "instances", 1_000_000);

    /**
     * What to run.
     *
     * @param clients threads sending creates
     * @param inFlight instances between their POST and their RUNNING at most, all clients together
     * @param rate POSTs per second at most; 0 for as many as {@code inFlight} allows
     * @param drainLimit how long to wait after the window for the instances still in flight
     * @param workDir the control plane's data directory and the hosts' guest storage; a temporary one when null, removed afterwards
     */
    record Plan(int hosts, int clients, int inFlight, double rate, Duration warmup, Duration window, Duration drainLimit,
                Path controlPlaneJar, List<String> controlPlaneJvmOptions, Path workDir) {
    }

    /**
     * What a run found; {@link #complete()} says whether every create ended RUNNING, exactly once, on a host that stayed
     * connected, and was seen running by its host's agent.
     *
     * @param perSecond instances seen RUNNING per second in the window
     * @param hostEvents host events since the agents started; a held fleet has no {@code disconnected} or
     *        {@code missed-heartbeats}
     * @param commandsTwice targets that got a second command for the same generation
     * @param agentFacts the lifecycle facts the agents reported, by event
     * @param factsRepeated instances with two facts of one kind
     * @param observedRunning instances whose host's agent last saw them running
     * @param rootDisks root disks on the hosts' guest storage
     */
    record Result(Map<String, String> durability, int hosts, long ready, Map<String, Long> hostEvents, long created, long running,
                  long failed, int postFailures, Map<String, String> stuck, double perSecond, double p50Millis, double p99Millis,
                  Map<String, Long> instancePhases, Map<String, Long> commandStates, long commandsTwice, Map<String, Long> agentFacts,
                  long factsRepeated, long observedRunning, long rootDisks) {

        boolean complete() {
            return ready == hosts && hostEvents.getOrDefault("disconnected", 0L) == 0
                    && hostEvents.getOrDefault("missed-heartbeats", 0L) == 0
                    && failed == 0 && postFailures == 0 && stuck.isEmpty() && created > 0 && running == created
                    && instancePhases.getOrDefault("RUNNING", 0L) == created && instancePhases.size() == 1
                    && commandStates.getOrDefault("PutGuest succeeded", 0L) == created && commandStates.size() == 1
                    && commandsTwice == 0 && agentFacts.getOrDefault("provisioned", 0L) == created
                    && agentFacts.getOrDefault("started", 0L) == created && agentFacts.size() == 2 && factsRepeated == 0
                    && observedRunning == created && rootDisks == created;
        }
    }

    @Option(names = "--hosts", description = "Simulated hosts (default: ${DEFAULT-VALUE}).")
    int hosts = 100;
    @Option(names = "--clients", description = "Threads sending creates (default: ${DEFAULT-VALUE}).")
    int clients = 8;
    @Option(names = "--in-flight", description = "Instances between POST and RUNNING at most (default: ${DEFAULT-VALUE}).")
    int inFlight = 200;
    @Option(names = "--rate", description = "POSTs per second at most; 0 for as many as --in-flight allows (default: ${DEFAULT-VALUE}).")
    double rate;
    @Option(names = "--warmup-seconds", description = "Creating before measuring, while the JIT compilers settle (default: ${DEFAULT-VALUE}).")
    int warmupSeconds = 30;
    @Option(names = "--window-seconds", description = "Measurement window (default: ${DEFAULT-VALUE}).")
    int windowSeconds = 60;
    @Option(names = "--drain-seconds", description = "Wait for the instances in flight after the window at most (default: ${DEFAULT-VALUE}).")
    int drainSeconds = 60;
    @Option(names = "--control-plane-jar", description = "The jar under test (default: ${DEFAULT-VALUE}).")
    Path controlPlaneJar = Path.of("control-plane/target/freehold-control-plane.jar");
    @Option(names = "--control-plane-jvm-option", description = "A JVM option for the control plane, e.g. -Xmx1g; repeatable.")
    List<String> controlPlaneJvmOptions = new ArrayList<>();
    @Option(names = "--work-dir", description = "Data directory for the control plane and the hosts, kept afterwards (default: a temporary one, removed).")
    Path workDir;

    public static void main(String[] args) {
        System.exit(new CommandLine(new InstanceCreateBenchmark()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        Plan plan = new Plan(hosts, clients, inFlight, rate, Duration.ofSeconds(warmupSeconds), Duration.ofSeconds(windowSeconds),
                Duration.ofSeconds(drainSeconds), controlPlaneJar, controlPlaneJvmOptions, workDir);
        return run(plan, System.out).complete() ? 0 : 1;
    }

    static Result run(Plan plan, PrintStream out) throws Exception {
        try (WorkDirectory work = WorkDirectory.of(plan.workDir(), "freehold-bench-instances-")) {
            out.printf("freehold instance-create benchmark, %s%n", DateTimeFormatter.ISO_INSTANT.format(Instant.now().truncatedTo(ChronoUnit.SECONDS)));
            out.printf("machine: %s; load average %s%n", Machine.describe(), Machine.loadAverage());
            out.printf("plan: %d hosts, %d clients, at most %d in flight, %s, warm-up %d s, window %d s; control plane %s %s; this JVM %s%n",
                    plan.hosts(), plan.clients(), plan.inFlight(), plan.rate() > 0 ? "at most " + plan.rate() + " creates/s" : "no rate limit",
                    plan.warmup().toSeconds(), plan.window().toSeconds(), plan.controlPlaneJar(), plan.controlPlaneJvmOptions(),
                    ManagementFactory.getRuntimeMXBean().getInputArguments());
            long starting = System.nanoTime();
            try (ControlPlaneProcess controlPlane = ControlPlaneProcess.start(plan.controlPlaneJar(), work.path().resolve("control-plane"),
                    plan.controlPlaneJvmOptions(), STARTUP_LIMIT);
                 ControlPlaneDatabase database = ControlPlaneDatabase.connect(controlPlane.postgresPort())) {
                out.printf("control plane: pid %d, healthy after %.1f s, log %s%n", controlPlane.pid(),
                        AgentSimulator.seconds(System.nanoTime() - starting), controlPlane.log());
                Map<String, String> durability = database.durability();
                out.println("PostgreSQL (embedded, as read back from the server): " + durability);
                OpsClient ops = new OpsClient(controlPlane.apiBase(), controlPlane.adminToken());
                HostPort agentEndpoint = new HostPort("127.0.0.1", controlPlane.agentPort());
                List<AgentIdentity> identities;
                try (AgentSimulator joiner = new AgentSimulator(agentEndpoint, ops, out)) {
                    identities = joiner.join(plan.hosts(), JOIN_PARALLELISM);
                }
                Instant agentsStarted = Instant.now();
                try (InProcessAgents agents = InProcessAgents.start(identities, agentEndpoint, work.path().resolve("hosts"))) {
                    long ready = awaitReady(database, identities.size());
                    out.printf("hosts: %d joined, %d READY, each run by the real agent in this JVM on a test driver of its own%n",
                            identities.size(), ready);
                    for (AgentIdentity identity : identities) {
                        ops.send("PATCH", "/api/v1/ops/hosts/" + identity.hostId(), ROOM, 200);
                    }
                    JsonNode capacity = ops.get("/api/v1/ops/hosts/" + identities.get(0).hostId() + "/capacity");
                    out.printf("each host reports this machine's %s CPU threads, %s MiB of memory and %s GiB of storage; at ratios %s it "
                                    + "may hold %s vCPUs, %s MiB and %s GiB%n", capacity.path("physical").path("vcpus"),
                            capacity.path("physical").path("memoryMib"), capacity.path("physical").path("diskGib"), ROOM,
                            capacity.path("allocatable").path("vcpus"), capacity.path("allocatable").path("memoryMib"),
                            capacity.path("allocatable").path("diskGib"));
                    TenantClient tenant = new TenantClient(controlPlane.apiBase(), tenantToken(ops));
                    String flavor = ops.send("POST", "/api/v1/ops/flavors", FLAVOR, 201);
                    String image = ops.uploadPublicKernelImage("bench", KERNEL, INITRD, "console=ttyS0");
                    try (CreateLoad load = new CreateLoad(tenant, flavor, image, plan.clients(), plan.inFlight(), plan.rate())) {
                        Figures figures = measure(plan, load, controlPlane, ops, database, out);
                        return check(plan, load, figures, agents, database, durability, ready, agentsStarted, out);
                    }
                }
            }
        }
    }

    /** @return how many hosts were READY when all were, or when the limit passed */
    private static long awaitReady(ControlPlaneDatabase database, int hosts) throws Exception {
        long deadline = System.nanoTime() + READY_LIMIT.toNanos();
        long ready = 0;
        while (System.nanoTime() < deadline) {
            ready = database.hostStates().getOrDefault("READY", 0L);
            if (ready == hosts) {
                break;
            }
            Thread.sleep(200);
        }
        return ready;
    }

    /** A tenant with room for every create, a member of it, and that member's API token, all made by the bootstrap admin. */
    private static String tenantToken(OpsClient ops) throws IOException, InterruptedException {
        String tenant = ops.send("POST", "/api/v1/ops/tenants", Map.of("name", "Bench", "slug", "bench", "quota", QUOTA), 201);
        String member = ops.send("POST", "/api/v1/users?tenant=" + tenant, Map.of("email", "creator@bench.test", "name", "Creator",
                "role", "tenant-member"), 201);
        return ops.call("POST", "/api/v1/users/" + member + "/tokens", Map.of("name", "bench"), 201).path("token").asString();
    }

    /** The window's figures, and what the load left in flight after it. */
    private record Figures(CreateFigures window, Map<String, String> stuck) {
    }

    private static Figures measure(Plan plan, CreateLoad load, ControlPlaneProcess controlPlane, OpsClient ops, ControlPlaneDatabase database,
                                   PrintStream out) throws Exception {
        out.printf("creating for %d s of warm-up, then measuring for %d s%n", plan.warmup().toSeconds(), plan.window().toSeconds());
        load.start();
        Thread.sleep(plan.warmup().toMillis());
        CreateFigures.Snapshot before = CreateFigures.Snapshot.take(load, controlPlane, ops);
        load.measuring(true);
        for (long left = plan.window().toMillis(); left > 0; left -= PROGRESS_EVERY.toMillis()) {
            Thread.sleep(Math.min(left, PROGRESS_EVERY.toMillis()));
            out.printf("  %d created, %d running, %d in flight (at the last look %s), load average %s%n", load.accepted.sum(),
                    load.running.sum(), load.inFlight(), load.lastLook, Machine.loadAverage());
        }
        CreateFigures.Snapshot after = CreateFigures.Snapshot.take(load, controlPlane, ops);
        load.measuring(false);
        CreateFigures window = new CreateFigures(before, after);

        out.println();
        out.printf("== result (window of %.0f s) ==%n", window.windowSeconds());
        out.printf("creates: %,.1f/s accepted, %,.1f/s seen RUNNING; create -> RUNNING p50 %.0f ms, p90 %.0f ms, p99 %.0f ms, max %.0f ms "
                        + "(%d in the window); POST -> 202 p50 %.1f ms, p99 %.1f ms%n", window.acceptedPerSecond(), window.runningPerSecond(),
                load.runningLatency.quantileMillis(0.5), load.runningLatency.quantileMillis(0.9), load.runningLatency.quantileMillis(0.99),
                load.runningLatency.quantileMillis(1.0), load.runningLatency.count(), load.acceptLatency.quantileMillis(0.5),
                load.acceptLatency.quantileMillis(0.99));
        double[] turnaround = database.commandTurnaroundMillis(before.at(), after.at(), 0.5, 0.99);
        out.printf("commands: delivered -> answer recorded p50 %.0f ms, p99 %.0f ms (the host's queue and work, and the way back); %s%n",
                turnaround[0], turnaround[1], database.commandSpread());
        window.printControlPlaneTime(out);
        window.printAgentLink(out);
        window.printCpu(out);
        out.printf("load average at the end %s%n", Machine.loadAverage());
        return new Figures(window, load.drain(plan.drainLimit()));
    }

    /** Waits for the agents' reports of the last instances, then reads what became of everything. */
    private static Result check(Plan plan, CreateLoad load, Figures figures, InProcessAgents agents, ControlPlaneDatabase database,
                                Map<String, String> durability, long ready, Instant agentsStarted, PrintStream out) throws Exception {
        long deadline = System.nanoTime() + REPORTS_LIMIT.toNanos();
        while (database.agentFacts().getOrDefault("started", 0L) < load.accepted.sum() && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        Result result = new Result(durability, plan.hosts(), ready, database.hostEventsSince(agentsStarted), load.accepted.sum(),
                load.running.sum(), load.failed.sum(), load.postFailures.get(), figures.stuck(), figures.window().runningPerSecond(),
                load.runningLatency.quantileMillis(0.5), load.runningLatency.quantileMillis(0.99), database.instancePhases(),
                database.commandStates(), database.targetsCommandedTwice(), database.agentFacts(), database.agentFactsRepeated(),
                database.instancesObservedRunning(), agents.rootDisks());
        Map<String, String> stuck = result.stuck();
        out.printf("whole run: %d created, %d seen RUNNING, %d FAILED%s, %d POSTs refused or lost, %d still not RUNNING %d s after the "
                        + "window%s%s%n", result.created(), result.running(), result.failed(),
                load.failures.isEmpty() ? "" : " " + load.failures, result.postFailures(), stuck.size(), plan.drainLimit().toSeconds(),
                stuck.isEmpty() ? "" : " " + stuck.entrySet().stream().limit(10).toList(),
                load.firstError.get() == null ? "" : "; the first error: " + load.firstError.get());
        out.printf("database: instances by phase %s, %d observed running by their hosts; commands %s; targets commanded twice for one "
                        + "generation: %d; commands delivered again: %d%n", result.instancePhases(), result.observedRunning(),
                result.commandStates(), result.commandsTwice(), database.commandsDeliveredAgain());
        out.printf("agents: lifecycle facts %s, %d instances with a fact twice; %d root disks on the hosts; %d of %d hosts READY, host "
                        + "events since they started %s%n", result.agentFacts(), result.factsRepeated(), result.rootDisks(), result.ready(),
                result.hosts(), result.hostEvents());
        out.printf("target >= 50 creates/s end to end: %.1f/s, %s%n", result.perSecond(),
                result.complete() ? "every create ended RUNNING exactly once" : "NOT every create ended RUNNING exactly once");
        return result;
    }
}
