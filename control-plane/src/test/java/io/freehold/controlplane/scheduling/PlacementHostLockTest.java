package io.freehold.controlplane.scheduling;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.freehold.controlplane.inventory.HostRegistry;
import io.freehold.controlplane.inventory.PlaceableHost;
import io.freehold.controlplane.inventory.PlacementHosts;
import io.freehold.controlplane.inventory.TestFacts;
import io.freehold.controlplane.inventory.decision.Capacity.Resources;
import io.freehold.controlplane.testing.ApiTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * What a placement's hold on a host keeps out: other placements of that host, and nothing else. The applier holds the
 * hosts it commits to until its transaction ends — in a scheduling pass, until the whole pass commits — so a hold that
 * also kept out the rows that merely name the host (a host's lifecycle reports write one, which its foreign key checks
 * against the host) stalled that host's agent stream behind every pass placing on it.
 */
class PlacementHostLockTest extends ApiTest {

    @Autowired
    private Placements placements;
    @Autowired
    private PlacementHosts hosts;
    @Autowired
    private HostRegistry registry;
    @Autowired
    private JdbcClient jdbc;
    @Autowired
    private PlatformTransactionManager transactions;

    @Test
    void aHostHeldByAPlacementTakesRowsNamingItAtOnceButNoOtherPlacement() throws Exception {
        String site = fixtures.site();
        String rack = api.post("/api/v1/ops/racks", fixtures.adminToken(), Map.of("siteId", site, "name", "r1")).expect(201).text("id");
        String host = fixtures.host(rack, 1);
        registry.connected(host, TestFacts.of("hv-held", 8, 16, 200), Instant.now());
        String tenant = fixtures.tenant();
        TransactionTemplate inTransaction = new TransactionTemplate(transactions);
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(1);
        ExecutorService placer = Executors.newSingleThreadExecutor();
        try {
            Future<Boolean> placed = placer.submit(() -> inTransaction.execute(status -> {
                boolean kept = placements.reserve(tenant, "instance:i-held-host", new PlacementSpec(new Resources(1, 512, 5), site, Map.of(), null))
                        .placed();
                holding.countDown();
                await(done);
                return kept;
            }));
            assertThat(holding.await(30, TimeUnit.SECONDS)).as("the placement holds the host").isTrue();
            try {
                // Written as a host's lifecycle report writes it; the lock timeout turns waiting for the placement into a failure.
                inTransaction.executeWithoutResult(status -> {
                    jdbc.sql("set local lock_timeout = '2s'").update();
                    jdbc.sql("""
                                    insert into host_domain (host_id, name, owner, generation, power, observed_at)
                                    values (:host, 'i-held-host', 'freehold', 1, 'RUNNING', now())
                                    """)
                            .param("host", host).update();
                });
                List<PlaceableHost> heldElsewhere = inTransaction.execute(status -> hosts.lockAvailable(List.of(host)));
                assertThat(heldElsewhere).as("what another placement may hold").isEmpty();
            } finally {
                done.countDown();
            }
            assertThat(placed.get(30, TimeUnit.SECONDS)).as("placed on the host").isTrue();
        } finally {
            placer.shutdownNow();
            jdbc.sql("delete from host_domain where host_id = :host").param("host", host).update();
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the test never let the placement finish");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
