package io.freehold.controlplane.scheduling;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import com.zaxxer.hikari.HikariDataSource;
import io.freehold.controlplane.FreeholdApplication;
import io.freehold.controlplane.inventory.HostRegistry;
import io.freehold.controlplane.inventory.HostUtilisation;
import io.freehold.controlplane.inventory.TestFacts;
import io.freehold.controlplane.inventory.decision.Capacity.Resources;
import io.freehold.controlplane.platform.web.ApiProblem;
import io.freehold.controlplane.testing.ApiTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Two replicas place at once and never overcommit: this test's application and a second one started
 * beside it on the same database, each with its own connection pool, place 1,000 guests of random sizes
 * from many threads on a cluster that cannot hold them all. Afterwards no host holds more than it may,
 * no tenant more than its quota, and every guest is either placed once or was told why not.
 */
class ConcurrentPlacementTest extends ApiTest {

    private static final int HOSTS = 20;
    private static final int PLACEMENTS = 1_000;
    private static final int THREADS_PER_REPLICA = 8;
    private static final int TENANTS = 40;

    @Autowired
    private Placements placements;
    @Autowired
    private HostRegistry registry;
    @Autowired
    private JdbcClient jdbc;
    @Autowired
    private HikariDataSource dataSource;

    @Test
    void twoReplicasPlacingAThousandGuestsAtOnceNeverPassAHostsCapacityOrATenantsQuota() throws Exception {
        String site = fixtures.site();
        String rack = api.post("/api/v1/ops/racks", fixtures.adminToken(), Map.of("siteId", site, "name", "r1")).expect(201).text("id");
        List<String> hosts = new ArrayList<>();
        for (int unit = 1; unit <= HOSTS; unit++) {
            String host = fixtures.host(rack, unit);
            // 8 threads, 16 GiB, 200 GiB: with the default reservations and ratios, 28 vCPUs, 14 GiB and 180 GiB allocatable.
            registry.connected(host, TestFacts.of("hv-" + unit, 8, 16, 200), Instant.now());
            hosts.add(host);
        }
        // The hosts' agents heartbeat, as real ones would: the tests' liveness window (3 s) is shorter than this test.
        ScheduledExecutorService agents = Executors.newSingleThreadScheduledExecutor();
        agents.scheduleAtFixedRate(() -> registry.heartbeats(hosts.stream().collect(Collectors.toMap(host -> host,
                host -> new HostUtilisation(0.5, 8L << 30, 100L << 30, 0))), Instant.now()), 0, 500, TimeUnit.MILLISECONDS);
        // Many tenants: one tenant's placements queue behind its quota's lock, so only different tenants race for a host.
        List<String> roomy = new ArrayList<>();
        for (int i = 0; i < TENANTS; i++) {
            String tenant = fixtures.tenant();
            api.put("/api/v1/ops/tenants/" + tenant + "/quota", fixtures.adminToken(),
                    Map.of("vcpus", 100_000, "memoryMib", 100_000_000, "diskGib", 100_000, "instances", 100_000)).expect(200);
            roomy.add(tenant);
        }
        String tight = fixtures.tenant();
        api.put("/api/v1/ops/tenants/" + tight + "/quota", fixtures.adminToken(),
                Map.of("vcpus", 10, "memoryMib", 1_000_000, "diskGib", 100_000, "instances", 100_000)).expect(200);

        try (ConfigurableApplicationContext second = secondReplica()) {
            List<Placements> replicas = List.of(placements, second.getBean(Placements.class));
            AtomicInteger next = new AtomicInteger();
            AtomicInteger placed = new AtomicInteger();
            AtomicInteger explainedNoFit = new AtomicInteger();
            AtomicInteger quotaRefusals = new AtomicInteger();
            ExecutorService pool = Executors.newFixedThreadPool(2 * THREADS_PER_REPLICA);
            List<Future<?>> workers = new ArrayList<>();
            for (int thread = 0; thread < 2 * THREADS_PER_REPLICA; thread++) {
                Placements replica = replicas.get(thread % 2);
                Random random = new Random(thread);
                workers.add(pool.submit(() -> {
                    for (int i = next.getAndIncrement(); i < PLACEMENTS; i = next.getAndIncrement()) {
                        String tenant = i % 10 == 0 ? tight : roomy.get(i % TENANTS);
                        Resources size = new Resources(1 + random.nextInt(4), 256L * (1 + random.nextInt(4)), 1 + random.nextInt(10));
                        try {
                            Reservation reservation = replica.reserve(tenant, "instance:i-" + i, new PlacementSpec(size, site, Map.of(), null));
                            if (reservation.placed()) {
                                placed.incrementAndGet();
                            } else if (reservation.explanation().contains("hosts fit")) {
                                explainedNoFit.incrementAndGet();
                            }
                        } catch (ApiProblem problem) {
                            assertThat(problem.type().uri()).endsWith("quota-exceeded");
                            quotaRefusals.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> worker : workers) {
                worker.get();
            }
            pool.shutdown();

            assertThat(placed.get() + explainedNoFit.get() + quotaRefusals.get()).as("every guest got an answer").isEqualTo(PLACEMENTS);
            assertThat(explainedNoFit.get()).as("the cluster filled up").isPositive();
            assertThat(quotaRefusals.get()).as("the tight tenant hit its quota").isPositive();
            assertThat(jdbc.sql("select count(*) from allocation a join host h on h.id = a.host_id where h.rack_id = :rack")
                    .param("rack", rack).query(Integer.class).single()).as("allocations").isEqualTo(placed.get());
        }
        agents.shutdownNow();
        assertNoHostPassesItsAllocatable(rack);
        assertThat(jdbc.sql("select coalesce(sum(vcpus), 0) from allocation where tenant_id = :tenant").param("tenant", tight)
                .query(Long.class).single()).as("vCPUs of the tenant whose quota is 10").isLessThanOrEqualTo(10);
    }

    private void assertNoHostPassesItsAllocatable(String rack) {
        List<Map<String, Object>> hosts = jdbc.sql("""
                        select h.id, coalesce(sum(a.vcpus), 0) as vcpus, coalesce(sum(a.memory_mib), 0) as memory_mib,
                               coalesce(sum(a.disk_gib), 0) as disk_gib
                          from host h left join allocation a on a.host_id = h.id
                         where h.rack_id = :rack group by h.id
                        """).param("rack", rack).query().listOfRows();
        assertThat(hosts).hasSize(HOSTS).allSatisfy(host -> {
            assertThat(((Number) host.get("vcpus")).longValue()).as("vCPUs on %s", host.get("id")).isLessThanOrEqualTo(28);
            assertThat(((Number) host.get("memory_mib")).longValue()).as("MiB on %s", host.get("id")).isLessThanOrEqualTo(14 * 1024);
            assertThat(((Number) host.get("disk_gib")).longValue()).as("GiB on %s", host.get("id")).isLessThanOrEqualTo(180);
        });
        assertThat(hosts).as("hosts filled to their vCPU limit, so the check had something to catch")
                .anySatisfy(host -> assertThat(((Number) host.get("vcpus")).longValue()).isEqualTo(28));
    }

    /** A second replica: the same application on the same database, with its own pool, web port and home. */
    private ConfigurableApplicationContext secondReplica() throws Exception {
        Path home = Files.createTempDirectory("freehold-second-replica");
        // Arguments, not default properties: those would lose to application.yaml and leave the replica on a database of its own.
        return new SpringApplicationBuilder(FreeholdApplication.class).run(
                "--freehold.home=" + home,
                "--freehold.db.url=" + dataSource.getJdbcUrl(),
                "--freehold.db.user=" + dataSource.getUsername(),
                "--server.port=0",
                "--server.address=127.0.0.1",
                "--freehold.agentlink.enabled=false",
                "--freehold.compute.scheduling.enabled=false",
                // As in ApiTest: no background usage recomputes over the other tests' months-old facts.
                "--freehold.metering.recompute.enabled=false",
                // Quartz keeps its data sources in a JVM-wide registry by scheduler name: a second replica in this
                // JVM under the same name would take over the first one's, and close it on shutdown.
                "--spring.quartz.properties.org.quartz.scheduler.instanceName=freehold-second-replica",
                "--freehold.local-agent.enabled=false");
    }
}
