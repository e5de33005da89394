package io.freehold.bench;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

import com.zaxxer.hikari.HikariDataSource;
import io.freehold.controlplane.FreeholdApplication;
import io.freehold.controlplane.inventory.HostFacts;
import io.freehold.controlplane.inventory.HostRegistry;
import io.freehold.controlplane.inventory.PlaceableHost;
import io.freehold.controlplane.inventory.PlacementHosts;
import io.freehold.controlplane.scheduling.PlacementAsk;
import io.freehold.controlplane.scheduling.PlacementSpec;
import io.freehold.controlplane.scheduling.Placements;
import io.freehold.controlplane.scheduling.Reservation;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Issue 4's benchmark (b): committed placements per second through the placement facade, as the VM
 * reconciler will call it, by two control-plane replicas (two application contexts, each with its own
 * connection pool) on one PostgreSQL at production durability (the all-in-one embedded server: fsync and
 * synchronous_commit on), over a fleet built through the ops API and made READY as agents would. Each
 * worker reserves a batch of asks per transaction; latency is that of the whole call, which every
 * placement in the batch waits for. Afterwards it checks from the database that no host holds more than
 * it may. Prints the figures and a final {@code RESULT} line for scripts.
 *
 * <p>Run it with {@code scripts/bench-placement.sh commit [--hosts=N] …}; see docs/performance.md.
 */
public final class PlacementCommitBenchmark {

    private static final Map<String, String> DEFAULTS = Map.of("hosts", "10000", "tenants", "1000", "threads", "2", "batch", "64",
            "seconds", "20", "warmup-seconds", "5", "seed", "1", "shared-tenants", "false", "sample-size", "64", "snapshot-max-age", "200ms");
    private static final int SEEDING_THREADS = 4;
    /** How an ask that lost every round to other transactions ends its explanation. */
    private static final String TRY_AGAIN = "try again";
    /** The three smallest flavors (1–4 vCPUs, 1–8 GiB), most guests' sizes: the fleet then holds about 50 guests per host,
     *  so a full run ends long before it fills and every ask is a real search, not an early no-fit. */
    private static final int SMALL_FLAVORS = 3;

    private PlacementCommitBenchmark() {
    }

    record Result(Map<String, String> durability, long placed, long noFit, long contended, double perSecond, double p50Millis, double p99Millis,
                  int hostsOverAllocatable) {
    }

    public static void main(String[] args) throws Exception {
        BenchArgs options = BenchArgs.parse(args, DEFAULTS);
        Result result = run(options, System.out);
        System.out.printf("RESULT placed=%d contended=%d perSecond=%.0f p50Millis=%.1f p99Millis=%.1f hostsOverAllocatable=%d fsync=%s synchronous_commit=%s%n",
                result.placed(), result.contended(), result.perSecond(), result.p50Millis(), result.p99Millis(), result.hostsOverAllocatable(),
                result.durability().get("fsync"), result.durability().get("synchronous_commit"));
        System.exit(0);
    }

    static Result run(BenchArgs options, PrintStream out) throws Exception {
        Path home = Files.createTempDirectory("freehold-placement-bench");
        try (ConfigurableApplicationContext first = replica(home.resolve("first"), null, options);
             ConfigurableApplicationContext second = replica(home.resolve("second"), first.getBean(HikariDataSource.class), options)) {
            JdbcClient jdbc = first.getBean(JdbcClient.class);
            Map<String, String> durability = new HashMap<>();
            for (String setting : List.of("fsync", "synchronous_commit")) {
                durability.put(setting, jdbc.sql("select current_setting('" + setting + "')").query(String.class).single());
            }
            OpsClient ops = new OpsClient("http://127.0.0.1:" + first.getEnvironment().getProperty("local.server.port"),
                    Files.readString(home.resolve("first").resolve("admin.token")).trim());
            long seedingStart = System.nanoTime();
            buildFleet(ops, first.getBean(HostRegistry.class), options.integer("hosts"));
            List<String> tenants = tenants(ops, options.integer("tenants"));
            out.printf("placement benchmark: %,d READY hosts and %,d tenants built through the ops API in %.1f s; PostgreSQL %s%n",
                    options.integer("hosts"), tenants.size(), (System.nanoTime() - seedingStart) / 1e9, durability);
            Result result = place(List.of(first.getBean(Placements.class), second.getBean(Placements.class)), tenants, options, durability,
                    first.getBean(PlacementHosts.class), jdbc);
            out.printf("  2 placers × %d threads, %d asks per transaction, %s tenants: %,.0f placements/s committed (%,d placed, %,d found no host, "
                            + "%,d told to try again after losing every round to other batches, in %d s); call latency p50 %.1f ms, p99 %.1f ms; hosts over their allocatable capacity: %d%n",
                    options.integer("threads"), options.integer("batch"),
                    Boolean.parseBoolean(options.text("shared-tenants")) ? "shared" : "per-worker", result.perSecond(), result.placed(), result.noFit(), result.contended(),
                    options.integer("seconds"), result.p50Millis(), result.p99Millis(), result.hostsOverAllocatable());
            return result;
        }
    }

    private static Result place(List<Placements> replicas, List<String> tenants, BenchArgs options, Map<String, String> durability,
                                PlacementHosts hosts, JdbcClient jdbc) throws Exception {
        int threads = options.integer("threads");
        int batch = options.integer("batch");
        long warmupEnd = System.nanoTime() + options.integer("warmup-seconds") * 1_000_000_000L;
        long end = warmupEnd + options.integer("seconds") * 1_000_000_000L;
        AtomicLong consumers = new AtomicLong();
        AtomicLong placed = new AtomicLong();
        AtomicLong noFit = new AtomicLong();
        AtomicLong contended = new AtomicLong();
        LatencySamples latencies = new LatencySamples();
        ExecutorService pool = Executors.newFixedThreadPool(replicas.size() * threads);
        List<Future<?>> workers = new ArrayList<>();
        int workerCount = replicas.size() * threads;
        boolean shared = Boolean.parseBoolean(options.text("shared-tenants"));
        for (int worker = 0; worker < workerCount; worker++) {
            Placements placements = replicas.get(worker % replicas.size());
            Random random = new Random(options.integer("seed") * 1_000L + worker);
            List<String> lane = shared ? tenants : lane(tenants, worker, workerCount);
            workers.add(pool.submit(() -> {
                for (long now = System.nanoTime(); now < end; now = System.nanoTime()) {
                    List<PlacementAsk> asks = new ArrayList<>(batch);
                    for (int i = 0; i < batch; i++) {
                        asks.add(new PlacementAsk(lane.get(random.nextInt(lane.size())), "instance:b-" + consumers.incrementAndGet(),
                                new PlacementSpec(SyntheticCluster.FLAVORS[random.nextInt(SMALL_FLAVORS)], null, Map.of(), null)));
                    }
                    List<Reservation> answers = placements.reserveAll(asks);
                    long after = System.nanoTime();
                    if (now >= warmupEnd && after <= end) {
                        latencies.add(after - now);
                        placed.addAndGet(answers.stream().filter(Reservation::placed).count());
                        noFit.addAndGet(answers.stream().filter(answer -> !answer.placed() && !answer.explanation().endsWith(TRY_AGAIN)).count());
                        contended.addAndGet(answers.stream().filter(answer -> !answer.placed() && answer.explanation().endsWith(TRY_AGAIN)).count());
                    }
                }
                return null;
            }));
        }
        for (Future<?> worker : workers) {
            worker.get();
        }
        pool.shutdown();
        return new Result(durability, placed.get(), noFit.get(), contended.get(), placed.get() / (double) options.integer("seconds"),
                latencies.quantileMillis(0.5), latencies.quantileMillis(0.99), overAllocatable(hosts, jdbc));
    }

    /**
     * The worker's own share of the tenants, as a scheduling pass that claims work by tenant would have:
     * a batch locks the quota of every tenant in it until it commits, so workers drawing from the same
     * tenants queue behind each other ({@code --shared-tenants=true} measures that).
     */
    private static List<String> lane(List<String> tenants, int worker, int workers) {
        List<String> lane = new ArrayList<>();
        for (int i = worker; i < tenants.size(); i += workers) {
            lane.add(tenants.get(i));
        }
        if (lane.isEmpty()) {
            throw new IllegalArgumentException("fewer tenants than workers: " + tenants.size() + " < " + workers);
        }
        return lane;
    }

    /** Hosts whose allocations, summed straight from the ledger, pass what the host may hold. */
    private static int overAllocatable(PlacementHosts hosts, JdbcClient jdbc) {
        Map<String, long[]> sums = new HashMap<>();
        jdbc.sql("select host_id, sum(vcpus) as v, sum(memory_mib) as m, sum(disk_gib) as d from allocation group by host_id")
                .query(rs -> {
                    sums.put(rs.getString("host_id"), new long[] {rs.getLong("v"), rs.getLong("m"), rs.getLong("d")});
                });
        int over = 0;
        for (PlaceableHost host : hosts.read(sums.keySet())) {
            long[] sum = sums.get(host.id());
            if (sum[0] > host.allocatable().vcpus() || sum[1] > host.allocatable().memoryMib() || sum[2] > host.allocatable().diskGib()) {
                over++;
            }
        }
        return over;
    }

    /** One site of 42U racks holding 40 1U hosts each, every host READY with the facts of a 64-thread, 256 GiB, 2 TB server. */
    private static void buildFleet(OpsClient ops, HostRegistry registry, int hostCount) throws Exception {
        String site = ops.send("POST", "/api/v1/ops/sites", Map.of("name", "bench", "timezone", "UTC"), 201);
        int racks = (hostCount + SyntheticCluster.HOSTS_PER_RACK - 1) / SyntheticCluster.HOSTS_PER_RACK;
        parallel(racks, rack -> {
            String rackId = ops.send("POST", "/api/v1/ops/racks", Map.of("siteId", site, "name", "r" + rack), 201);
            for (int unit = 1; unit <= SyntheticCluster.HOSTS_PER_RACK && rack * SyntheticCluster.HOSTS_PER_RACK + unit <= hostCount; unit++) {
                String hostname = "hv-%d-%d".formatted(rack, unit);
                String hostId = ops.send("POST", "/api/v1/ops/hosts", Map.of("rackId", rackId, "positionU", unit, "hostname", hostname), 201);
                registry.connected(hostId, facts(hostname), Instant.now());
            }
        });
    }

    private static List<String> tenants(OpsClient ops, int count) throws Exception {
        String[] ids = new String[count];
        parallel(count, i -> {
            ids[i] = ops.send("POST", "/api/v1/ops/tenants", Map.of("name", "Bench tenant " + i, "slug", "bench-" + i), 201);
            ops.send("PUT", "/api/v1/ops/tenants/" + ids[i] + "/quota",
                    Map.of("vcpus", 100_000, "memoryMib", 100_000_000, "diskGib", 1_000_000, "instances", 100_000), 200);
        });
        return List.of(ids);
    }

    private static HostFacts facts(String hostname) {
        long gib = 1L << 30;
        return new HostFacts(hostname, "AMD EPYC 9354 32-Core Processor", 32, 64, 256 * gib, "/var/lib/freehold/agent", 2000 * gib,
                "qemu:///system", "9.0.0", "7.2.0", true, "0.1.0", 1, "boot-" + hostname, "incarnation-" + hostname,
                "Debian GNU/Linux 12 (bookworm)", "amd64");
    }

    @FunctionalInterface
    private interface Step {
        void run(int index) throws Exception;
    }

    private static void parallel(int count, Step step) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(SEEDING_THREADS);
        List<Future<?>> futures = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int index = i;
            futures.add(pool.submit(() -> {
                step.run(index);
                return null;
            }));
        }
        for (Future<?> future : futures) {
            future.get();
        }
        pool.shutdown();
    }

    /**
     * A replica: the control plane's application, without its agent endpoint; the second one on the first
     * one's database. No agent heartbeats for the made-up hosts, so liveness is told to wait for ever
     * rather than find them UNREACHABLE 15 s after they were made READY.
     */
    private static ConfigurableApplicationContext replica(Path home, HikariDataSource database, BenchArgs options) {
        List<String> args = new ArrayList<>(List.of("--freehold.home=" + home, "--server.port=0", "--server.address=127.0.0.1",
                "--freehold.agentlink.enabled=false", "--freehold.local-agent.enabled=false", "--spring.main.banner-mode=off",
                "--logging.level.root=WARN", "--freehold.inventory.missed-heartbeats=1000000",
                "--freehold.scheduling.sample-size=" + options.text("sample-size"),
                "--freehold.scheduling.snapshot-max-age=" + options.text("snapshot-max-age")));
        if (database != null) {
            args.add("--freehold.db.url=" + database.getJdbcUrl());
            args.add("--freehold.db.user=" + database.getUsername());
        }
        return new SpringApplicationBuilder(FreeholdApplication.class).run(args.toArray(String[]::new));
    }
}
