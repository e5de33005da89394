package io.freehold.controlplane.scheduling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.freehold.controlplane.inventory.HostRegistry;
import io.freehold.controlplane.inventory.HostUtilisation;
import io.freehold.controlplane.inventory.TestFacts;
import io.freehold.controlplane.inventory.decision.Capacity.Resources;
import io.freehold.controlplane.platform.web.ApiProblem;
import io.freehold.controlplane.platform.web.ProblemType;
import io.freehold.controlplane.testing.ApiTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Resizes in place and new placements racing for one small host never overcommit it, nor a tenant's
 * quota: sixteen threads, each on its own connection, grow and shrink the guests already on the host
 * while new guests are placed on it, until it is full many times over. Afterwards the ledger shows the
 * host within what it may hold and the tight tenant within its quota, and every resize was either done or
 * refused with the host's or the quota's explanation.
 */
class ConcurrentResizeTest extends ApiTest {

    private static final int THREADS = 16;
    private static final int OPERATIONS = 600;
    private static final int FIRST_GUESTS = 16;
    private static final int TENANTS = 12;
    /** 8 threads, 16 GiB, 200 GiB with the default reservations and ratios. */
    private static final Resources ALLOCATABLE = new Resources(28, 14 * 1024, 180);
    private static final int TIGHT_VCPUS = 8;

    @Autowired
    private Placements placements;
    @Autowired
    private HostRegistry registry;
    @Autowired
    private JdbcClient jdbc;
    @Autowired
    private PlatformTransactionManager transactions;

    @Test
    void resizesAndPlacementsRacingForOneHostNeverPassItsCapacityOrATenantsQuota() throws Exception {
        String site = fixtures.site();
        String rack = api.post("/api/v1/ops/racks", fixtures.adminToken(), Map.of("siteId", site, "name", "r1")).expect(201).text("id");
        String host = fixtures.host(rack, 1);
        registry.connected(host, TestFacts.of("hv-resize", 8, 16, 200), Instant.now());
        ScheduledExecutorService agent = Executors.newSingleThreadScheduledExecutor();
        agent.scheduleAtFixedRate(() -> registry.heartbeats(Map.of(host, new HostUtilisation(0.5, 8L << 30, 100L << 30, 0)), Instant.now()),
                0, 500, TimeUnit.MILLISECONDS);
        // Many tenants: one tenant's resizes queue behind its quota's lock, so only different tenants race for the host.
        List<String> roomy = new ArrayList<>();
        for (int i = 0; i < TENANTS; i++) {
            roomy.add(roomyTenant());
        }
        String tight = fixtures.tenant();
        api.put("/api/v1/ops/tenants/" + tight + "/quota", fixtures.adminToken(),
                Map.of("vcpus", TIGHT_VCPUS, "memoryMib", 1_000_000, "diskGib", 100_000, "instances", 100_000)).expect(200);
        List<String> guests = new CopyOnWriteArrayList<>();
        for (int i = 0; i < FIRST_GUESTS; i++) {
            String tenant = i % 4 == 0 ? tight : roomy.get(i % roomy.size());
            String consumer = "instance:i-resize-" + i;
            assertThat(placements.reserve(tenant, consumer, new PlacementSpec(new Resources(1, 512, 5), site, Map.of(), null)).placed()).isTrue();
            guests.add(consumer);
        }

        AtomicInteger next = new AtomicInteger();
        AtomicInteger resized = new AtomicInteger();
        AtomicInteger noRoomOnTheHost = new AtomicInteger();
        AtomicInteger overQuota = new AtomicInteger();
        AtomicInteger placed = new AtomicInteger();
        AtomicInteger notPlaced = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<?>> workers = new ArrayList<>();
            for (int thread = 0; thread < THREADS; thread++) {
                Random random = new Random(thread);
                workers.add(pool.submit(() -> {
                    for (int i = next.getAndIncrement(); i < OPERATIONS; i = next.getAndIncrement()) {
                        Resources size = new Resources(1 + random.nextInt(4), 256L * (1 + random.nextInt(8)), 1 + random.nextInt(20));
                        try {
                            if (i % 5 == 0) {
                                String tenant = i % 4 == 0 ? tight : roomy.get(i % roomy.size());
                                String consumer = "instance:i-resize-new-" + i;
                                if (placements.reserve(tenant, consumer, new PlacementSpec(size, site, Map.of(), null)).placed()) {
                                    guests.add(consumer);
                                    placed.incrementAndGet();
                                } else {
                                    notPlaced.incrementAndGet();
                                }
                            } else {
                                Allocation after = placements.resize(guests.get(random.nextInt(guests.size())), size);
                                assertThat(after.resources()).isEqualTo(size);
                                resized.incrementAndGet();
                            }
                        } catch (ApiProblem problem) {
                            if (problem.type() == ProblemType.INSUFFICIENT_CAPACITY) {
                                assertThat(problem.getMessage()).startsWith(host + " cannot hold the new size: insufficient ");
                                noRoomOnTheHost.incrementAndGet();
                            } else {
                                assertThat(problem.type()).isEqualTo(ProblemType.QUOTA_EXCEEDED);
                                overQuota.incrementAndGet();
                            }
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> worker : workers) {
                worker.get();
            }
        } finally {
            pool.shutdown();
            agent.shutdownNow();
        }

        assertThat(resized.get() + noRoomOnTheHost.get() + overQuota.get() + placed.get() + notPlaced.get()).as("every operation answered")
                .isEqualTo(OPERATIONS);
        assertThat(resized.get()).as("resizes done").isPositive();
        assertThat(noRoomOnTheHost.get()).as("resizes the full host refused").isPositive();
        assertThat(notPlaced.get()).as("new guests the full host turned away").isPositive();
        Map<String, Object> onHost = jdbc.sql("""
                        select coalesce(sum(vcpus), 0) as vcpus, coalesce(sum(memory_mib), 0) as memory_mib, coalesce(sum(disk_gib), 0) as disk_gib
                          from allocation where host_id = :host
                        """).param("host", host).query().singleRow();
        assertThat(((Number) onHost.get("vcpus")).longValue()).as("vCPUs allocated").isLessThanOrEqualTo(ALLOCATABLE.vcpus());
        assertThat(((Number) onHost.get("memory_mib")).longValue()).as("MiB allocated").isLessThanOrEqualTo(ALLOCATABLE.memoryMib());
        assertThat(((Number) onHost.get("disk_gib")).longValue()).as("GiB allocated").isLessThanOrEqualTo(ALLOCATABLE.diskGib());
        assertThat(jdbc.sql("select coalesce(sum(vcpus), 0) from allocation where tenant_id = :tenant").param("tenant", tight)
                .query(Long.class).single()).as("vCPUs of the tenant whose quota is " + TIGHT_VCPUS).isLessThanOrEqualTo(TIGHT_VCPUS);
    }

    /**
     * What makes the race above safe, shown deterministically: a resize whose transaction holds the host
     * keeps another resize on that host waiting, which then sees the first one's growth and is refused.
     * Read without the host's lock, the second would see the room as it was and both would commit.
     */
    @Test
    void aResizeWaitsForAnotherHoldingTheHostAndThenSeesItsGrowth() throws Exception {
        String site = fixtures.site();
        String rack = api.post("/api/v1/ops/racks", fixtures.adminToken(), Map.of("siteId", site, "name", "r1")).expect(201).text("id");
        String host = fixtures.host(rack, 1);
        registry.connected(host, TestFacts.of("hv-resize-wait", 8, 16, 200), Instant.now());
        PlacementSpec small = new PlacementSpec(new Resources(1, 1024, 10), site, Map.of(), null);
        placements.reserve(roomyTenant(), "instance:i-first-grower", small);
        placements.reserve(roomyTenant(), "instance:i-second-grower", small);
        // 28 vCPUs allocatable, 2 allocated: room for one guest to grow by 20, not for two.
        Resources grown = new Resources(21, 1024, 10);
        TransactionTemplate inTransaction = new TransactionTemplate(transactions);
        CountDownLatch firstHoldsTheHost = new CountDownLatch(1);
        ExecutorService first = Executors.newSingleThreadExecutor();
        try {
            Future<?> firstCommitted = first.submit(() -> inTransaction.executeWithoutResult(status -> {
                placements.resize("instance:i-first-grower", grown);
                firstHoldsTheHost.countDown();
                sleep(Duration.ofMillis(500));
            }));
            assertThat(firstHoldsTheHost.await(10, TimeUnit.SECONDS)).isTrue();
            long started = System.nanoTime();

            assertThatThrownBy(() -> placements.resize("instance:i-second-grower", grown))
                    .isInstanceOfSatisfying(ApiProblem.class, problem -> assertThat(problem.type()).isEqualTo(ProblemType.INSUFFICIENT_CAPACITY))
                    .hasMessage(host + " cannot hold the new size: insufficient vCPUs (needs 20 vCPUs more but 6 vCPUs are free)");
            assertThat(Duration.ofNanos(System.nanoTime() - started)).as("waited for the first to commit").isGreaterThan(Duration.ofMillis(200));
            firstCommitted.get();
        } finally {
            first.shutdown();
        }
        assertThat(jdbc.sql("select sum(vcpus) from allocation where host_id = :host").param("host", host).query(Long.class).single())
                .isEqualTo(22);
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private String roomyTenant() {
        String tenant = fixtures.tenant();
        api.put("/api/v1/ops/tenants/" + tenant + "/quota", fixtures.adminToken(),
                Map.of("vcpus", 100_000, "memoryMib", 100_000_000, "diskGib", 100_000, "instances", 100_000)).expect(200);
        return tenant;
    }
}
