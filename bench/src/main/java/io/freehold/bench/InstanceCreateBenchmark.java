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
import io.freehold.agent.guest.GuestInventory;
import io.freehold.agent.guest.PowerState;
import io.freehold.agent.identity.AgentIdentity;
import io.freehold.agent.v1.ProtocolVersion;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Issue 5's benchmark: instance creates per second end to end, from the tenant's POST to the instance seen RUNNING
 * through the API. Starts the packaged control plane (embedded PostgreSQL, fsync and synchronous_commit on), joins and
 * connects N hosts the real way, each carrying out its commands with the agent's own {@code CommandRunner} on libvirt's
 * test driver ({@link TestDriverHosts}), makes a tenant with a member's API token and a flavor through the ops API, then
 * runs the {@link CreateLoad} and measures over a window. Afterwards it checks from the database and the hypervisor that
 * every instance created runs exactly once. Prints numbers; judges nothing but whether every create ended RUNNING.
 */
@Command(name = "bench-instances", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Creates instances through the API of the control plane jar and times them until they are RUNNING on N simulated hosts.")
public final class InstanceCreateBenchmark implements Callable<Integer> {

    private static final Duration STARTUP_LIMIT = Duration.ofMinutes(2);
    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(10);
    private static final int JOIN_PARALLELISM = 8;
    private static final int CONNECT_PARALLELISM = 64;
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
     * What a run found; {@link #complete()} says whether every create ended RUNNING, exactly once, on a host that stayed.
     *
     * @param perSecond instances seen RUNNING per second in the window
     * @param guestsRunning the run's instances that the hypervisor runs at the end
     * @param commandsTwice targets that got a second command for the same generation
     */
    record Result(Map<String, String> durability, int hosts, int welcomed, int dropped, long created, long running, long failed,
                  int postFailures, Map<String, String> stuck, double perSecond, double p50Millis, double p99Millis,
                  Map<String, Long> instancePhases, Map<String, Long> commandStates, long commandsTwice, long guestsRunning) {

        boolean complete() {
            return welcomed == hosts && dropped == 0 && failed == 0 && postFailures == 0 && stuck.isEmpty() && created > 0
                    && running == created && instancePhases.getOrDefault("RUNNING", 0L) == created && instancePhases.size() == 1
                    && commandStates.getOrDefault("PutGuest succeeded", 0L) == created && commandStates.size() == 1
                    && commandsTwice == 0 && guestsRunning == created;
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
                 ControlPlaneDatabase database = ControlPlaneDatabase.connect(controlPlane.postgresPort());
                 TestDriverHosts hypervisor = new TestDriverHosts(work.path().resolve("hosts"))) {
                out.printf("control plane: pid %d, healthy after %.1f s, log %s%n", controlPlane.pid(),
                        AgentSimulator.seconds(System.nanoTime() - starting), controlPlane.log());
                Map<String, String> durability = database.durability();
                out.println("PostgreSQL (embedded, as read back from the server): " + durability);
                OpsClient ops = new OpsClient(controlPlane.apiBase(), controlPlane.adminToken());
                AgentSimulator.Hypervisors hypervisors = new AgentSimulator.Hypervisors(TestDriverHosts.URI, false,
                        ProtocolVersion.PROTOCOL_VERSION_2, hypervisor::forHost);
                try (AgentSimulator fleet = new AgentSimulator(new HostPort("127.0.0.1", controlPlane.agentPort()), ops, out, hypervisors)) {
                    List<AgentIdentity> identities = fleet.join(plan.hosts(), JOIN_PARALLELISM);
                    fleet.connect(identities, CONNECT_PARALLELISM, Duration.ofSeconds(60));
                    out.printf("hosts: %d joined, %d connected over mutual TLS (protocol version 2), carrying out commands with the "
                            + "agent's CommandRunner on %s%n", identities.size(), fleet.welcomed.get(), TestDriverHosts.URI);
                    TenantClient tenant = new TenantClient(controlPlane.apiBase(), tenantToken(ops));
                    String flavor = ops.send("POST", "/api/v1/ops/flavors", FLAVOR, 201);
                    try (CreateLoad load = new CreateLoad(tenant, flavor, plan.clients(), plan.inFlight(), plan.rate())) {
                        return measure(plan, load, fleet, hypervisor, controlPlane, ops, database, durability, out);
                    }
                }
            }
        }
    }

    /** A tenant with room for every create, a member of it, and that member's API token, all made by the bootstrap admin. */
    private static String tenantToken(OpsClient ops) throws IOException, InterruptedException {
        String tenant = ops.send("POST", "/api/v1/ops/tenants", Map.of("name", "Bench", "slug", "bench", "quota", QUOTA), 201);
        String member = ops.send("POST", "/api/v1/users?tenant=" + tenant, Map.of("email", "creator@bench.test", "name", "Creator",
                "role", "tenant-member"), 201);
        return ops.call("POST", "/api/v1/users/" + member + "/tokens", Map.of("name", "bench"), 201).path("token").asString();
    }

    private static Result measure(Plan plan, CreateLoad load, AgentSimulator fleet, TestDriverHosts hypervisor,
                                  ControlPlaneProcess controlPlane, OpsClient ops, ControlPlaneDatabase database,
                                  Map<String, String> durability, PrintStream out) throws Exception {
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
        Map<String, String> stuck = load.drain(plan.drainLimit());

        GuestInventory guests = hypervisor.inventory();
        long guestsRunning = guests.guests().stream().filter(guest -> guest.power() == PowerState.RUNNING).count();
        CreateFigures figures = new CreateFigures(before, after);
        Result result = new Result(durability, plan.hosts(), fleet.welcomed.get(), fleet.dropped.get(), load.accepted.sum(),
                load.running.sum(), load.failed.sum(), load.postFailures.get(), stuck, figures.runningPerSecond(),
                load.runningLatency.quantileMillis(0.5), load.runningLatency.quantileMillis(0.99), database.instancePhases(),
                database.commandStates(), database.targetsCommandedTwice(), guestsRunning);

        out.println();
        out.printf("== result (window of %.0f s) ==%n", figures.windowSeconds());
        out.printf("creates: %,.1f/s accepted, %,.1f/s seen RUNNING; create -> RUNNING p50 %.0f ms, p90 %.0f ms, p99 %.0f ms, max %.0f ms "
                        + "(%d in the window); POST -> 202 p50 %.1f ms, p99 %.1f ms%n", figures.acceptedPerSecond(), figures.runningPerSecond(),
                result.p50Millis(), load.runningLatency.quantileMillis(0.9), result.p99Millis(), load.runningLatency.quantileMillis(1.0),
                load.runningLatency.count(), load.acceptLatency.quantileMillis(0.5), load.acceptLatency.quantileMillis(0.99));
        out.printf("agents: %,d commands answered (%d failed); arrival -> answer p50 %.1f ms, p99 %.1f ms (queue on the host and "
                        + "execution); %s%n", hypervisor.succeeded.sum() + hypervisor.failed.sum(), hypervisor.failed.sum(),
                hypervisor.commandLatency.quantileMillis(0.5), hypervisor.commandLatency.quantileMillis(0.99), hypervisor.spread());
        figures.printControlPlaneTime(out);
        figures.printAgentLink(out);
        figures.printCpu(out);
        out.printf("load average at the end %s%n", Machine.loadAverage());
        out.printf("whole run: %d created, %d seen RUNNING, %d FAILED%s, %d POSTs refused or lost, %d still not RUNNING %d s after the "
                        + "window%s%s%n", result.created(), result.running(), result.failed(),
                load.failures.isEmpty() ? "" : " " + load.failures, result.postFailures(), stuck.size(), plan.drainLimit().toSeconds(),
                stuck.isEmpty() ? "" : " " + stuck.entrySet().stream().limit(10).toList(),
                load.firstError.get() == null ? "" : "; the first error: " + load.firstError.get());
        out.printf("database: instances by phase %s; commands %s; targets commanded twice for one generation: %d; commands delivered again: %d%n",
                result.instancePhases(), result.commandStates(), result.commandsTwice(), database.commandsDeliveredAgain());
        out.printf("hypervisor (%s): %d guests running, %d other guests, foreign domains %s; hosts: %d of %d welcomed, %d streams "
                        + "dropped%n", TestDriverHosts.URI, guestsRunning, guests.guests().size() - guestsRunning,
                guests.foreign().stream().map(GuestInventory.ForeignDomain::name).toList(), result.welcomed(), result.hosts(), result.dropped());
        out.printf("target >= 50 creates/s end to end: %.1f/s, %s%n", result.perSecond(),
                result.complete() ? "every create ended RUNNING exactly once" : "NOT every create ended RUNNING exactly once");
        return result;
    }
}
