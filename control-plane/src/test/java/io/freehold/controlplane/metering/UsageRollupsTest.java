package io.freehold.controlplane.metering;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.freehold.controlplane.metering.LifecycleFact.Shape;
import io.freehold.controlplane.testing.ApiTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Hourly rollups on real PostgreSQL: recomputing is idempotent, a late fact changes only the open hours it touches,
 * a closed hour never changes and its late difference is recorded once as an adjustment, and hours split exactly at
 * UTC hour, day and year boundaries.
 */
class UsageRollupsTest extends ApiTest {

    private static final Shape SMALL = new Shape(2, 4096, 20);
    private static final String SMALL_SECONDS = "instance.seconds:2vcpu-4096mib-20gib";

    @Autowired
    private UsageRollups rollups;
    @Autowired
    private LifecycleLog log;
    @Autowired
    private JdbcClient jdbc;
    @Autowired
    private PlatformTransactionManager transactions;

    private final String tenant = "t-" + UUID.randomUUID();
    private final String instance = "i-" + UUID.randomUUID();
    private final String host = "h-" + UUID.randomUUID();
    private final String incarnation = UUID.randomUUID().toString();

    @Test
    void recomputingTwiceChangesNothing() {
        fact(1, LifecycleEventKind.PROVISIONED, "2026-03-01T10:15:00Z", SMALL);
        fact(2, LifecycleEventKind.STARTED, "2026-03-01T10:20:00Z", SMALL);
        fact(3, LifecycleEventKind.STOPPED, "2026-03-01T12:10:30Z", SMALL);

        UsageRollups.Recomputed first = rollups.recompute(instance, at("2026-03-01T13:00:00Z"));
        List<Map<String, Object>> rows = rows();
        UsageRollups.Recomputed second = rollups.recompute(instance, at("2026-03-01T13:00:00Z"));

        assertThat(first.hoursWritten()).isEqualTo(12);
        assertThat(second).isEqualTo(new UsageRollups.Recomputed(0, 0));
        assertThat(rows()).as("not a row touched, not even computed_at").isEqualTo(rows);
        assertThat(quantities(SMALL_SECONDS)).containsExactly(
                Map.entry(at("2026-03-01T10:00:00Z"), 2400L), Map.entry(at("2026-03-01T11:00:00Z"), 3600L),
                Map.entry(at("2026-03-01T12:00:00Z"), 630L));
        assertThat(quantities("memory.gib.seconds").get(at("2026-03-01T12:00:00Z"))).as("MiB·s").isEqualTo(630L * 4096);
        assertThat(quantities("disk.gib.seconds")).as("from provisioned, running or not, up to asOf").containsExactly(
                Map.entry(at("2026-03-01T10:00:00Z"), 2700L * 20), Map.entry(at("2026-03-01T11:00:00Z"), 3600L * 20),
                Map.entry(at("2026-03-01T12:00:00Z"), 3600L * 20));
    }

    @Test
    void aLateFactRecomputesTheOpenHoursItTouchesAndNoOther() {
        fact(1, LifecycleEventKind.STARTED, "2026-03-01T10:20:00Z", SMALL);
        rollups.recompute(instance, at("2026-03-01T13:00:00Z"));
        Map<String, Object> tenOClock = row(SMALL_SECONDS, "2026-03-01T10:00:00Z");

        fact(2, LifecycleEventKind.STOPPED, "2026-03-01T11:30:00Z", SMALL);
        UsageRollups.Recomputed late = rollups.recompute(instance, at("2026-03-01T13:00:00Z"));

        assertThat(late).as("instance, vCPU and memory seconds at 11:00 and 12:00; disk goes on").isEqualTo(new UsageRollups.Recomputed(6, 0));
        assertThat(quantities(SMALL_SECONDS)).containsExactly(
                Map.entry(at("2026-03-01T10:00:00Z"), 2400L), Map.entry(at("2026-03-01T11:00:00Z"), 1800L),
                Map.entry(at("2026-03-01T12:00:00Z"), 0L));
        assertThat(row(SMALL_SECONDS, "2026-03-01T10:00:00Z")).as("an hour the late fact does not touch").isEqualTo(tenOClock);
    }

    @Test
    void aClosedHourNeverChangesAndItsLateDifferenceIsRecordedOnce() {
        fact(1, LifecycleEventKind.STARTED, "2026-03-01T10:20:00Z", SMALL);
        rollups.recompute(instance, at("2026-03-01T13:00:00Z"));
        close("2026-03-01T11:00:00Z");

        fact(2, LifecycleEventKind.STOPPED, "2026-03-01T11:30:00Z", SMALL);
        UsageRollups.Recomputed late = rollups.recompute(instance, at("2026-03-01T13:00:00Z"));
        UsageRollups.Recomputed again = rollups.recompute(instance, at("2026-03-01T13:00:00Z"));

        assertThat(late.adjustments()).as("instance, vCPU and memory seconds of the closed hour").isEqualTo(3);
        assertThat(again).isEqualTo(new UsageRollups.Recomputed(0, 0));
        assertThat(quantities(SMALL_SECONDS).get(at("2026-03-01T11:00:00Z"))).as("closed: as billed").isEqualTo(3600L);
        assertThat(quantities(SMALL_SECONDS).get(at("2026-03-01T12:00:00Z"))).as("open: recomputed").isEqualTo(0L);
        assertThat(adjustments(SMALL_SECONDS)).containsExactly(-1800L);
        assertThat(adjustments("vcpu.seconds")).containsExactly(-1800L * 2);

        // Another late fact changes the closed hour again: only the new difference is added.
        fact(4, LifecycleEventKind.STARTED, "2026-03-01T11:45:00Z", SMALL);
        assertThat(rollups.recompute(instance, at("2026-03-01T13:00:00Z")).adjustments()).isEqualTo(3);
        assertThat(adjustments(SMALL_SECONDS)).containsExactly(-1800L, 900L);
        assertThat(3600L - 1800 + 900).as("closed + adjustments = the hour recomputed").isEqualTo(2700L);

        assertThatThrownBy(() -> jdbc.sql("update usage_hourly set quantity = 1 where resource_id = :r and closed")
                .param("r", instance).update()).as("the database refuses too").hasMessageContaining("is closed");
    }

    @Test
    void concurrentRecomputesOfOneInstanceRecordALateDifferenceOnce() throws Exception {
        fact(1, LifecycleEventKind.STARTED, "2026-03-01T10:20:00Z", SMALL);
        rollups.recompute(instance, at("2026-03-01T13:00:00Z"));
        close("2026-03-01T11:00:00Z");
        fact(2, LifecycleEventKind.STOPPED, "2026-03-01T11:30:00Z", SMALL);

        int replicas = 8;
        CyclicBarrier together = new CyclicBarrier(replicas);
        ExecutorService pool = Executors.newFixedThreadPool(replicas);
        List<Future<UsageRollups.Recomputed>> runs = new ArrayList<>();
        for (int i = 0; i < replicas; i++) {
            runs.add(pool.submit(() -> {
                together.await(10, TimeUnit.SECONDS);
                return rollups.recompute(instance, at("2026-03-01T13:00:00Z"));
            }));
        }
        int adjustments = 0;
        for (Future<UsageRollups.Recomputed> run : runs) {
            adjustments += run.get(30, TimeUnit.SECONDS).adjustments();
        }
        pool.shutdown();

        assertThat(adjustments).as("one replica records the three differences, the others find none").isEqualTo(3);
        assertThat(adjustments(SMALL_SECONDS)).containsExactly(-1800L);
        assertThat(quantities(SMALL_SECONDS).get(at("2026-03-01T12:00:00Z"))).isEqualTo(0L);
    }

    @Test
    void hoursSplitExactlyAtTheYearBoundaryAndAFactOnTheHourStartsThatHour() {
        fact(1, LifecycleEventKind.STARTED, "2026-12-31T23:59:59Z", SMALL);
        fact(2, LifecycleEventKind.STOPPED, "2027-01-01T00:00:01Z", SMALL);
        fact(3, LifecycleEventKind.STARTED, "2027-01-01T01:00:00Z", SMALL);
        fact(4, LifecycleEventKind.STOPPED, "2027-01-01T02:00:00Z", SMALL);
        rollups.recompute(instance, at("2027-01-01T03:00:00Z"));

        assertThat(quantities(SMALL_SECONDS)).containsExactly(
                Map.entry(at("2026-12-31T23:00:00Z"), 1L), Map.entry(at("2027-01-01T00:00:00Z"), 1L),
                Map.entry(at("2027-01-01T01:00:00Z"), 3600L));
    }

    @Test
    void theHourHoldingAsOfIsCountedUpToAsOfAndCompletedLater() {
        fact(1, LifecycleEventKind.STARTED, "2026-03-01T10:00:00Z", SMALL);
        rollups.recompute(instance, Instant.parse("2026-03-01T10:10:00.900Z"));
        assertThat(quantities(SMALL_SECONDS)).containsExactly(Map.entry(at("2026-03-01T10:00:00Z"), 600L));

        rollups.recompute(instance, at("2026-03-01T11:00:00Z"));
        assertThat(quantities(SMALL_SECONDS)).containsExactly(Map.entry(at("2026-03-01T10:00:00Z"), 3600L));
    }

    @Test
    void anInstanceWithoutFactsHasNothingToRecompute() {
        assertThat(rollups.recompute(instance, at("2026-03-01T11:00:00Z"))).isEqualTo(new UsageRollups.Recomputed(0, 0));
    }

    private void fact(long seq, LifecycleEventKind event, String occurredAt, Shape shape) {
        Instant at = at(occurredAt);
        new TransactionTemplate(transactions).executeWithoutResult(tx -> log.observed(host, incarnation, seq, at, Duration.ZERO,
                new LifecycleFact(instance, tenant, event, at, 1, shape), at));
    }

    private void close(String hour) {
        jdbc.sql("update usage_hourly set closed = true, closed_at = now() where resource_id = :r and hour = :h")
                .param("r", instance).param("h", at(hour).atOffset(ZoneOffset.UTC)).update();
    }

    private Map<Instant, Long> quantities(String meter) {
        Map<Instant, Long> hours = new TreeMap<>();
        jdbc.sql("select hour, quantity from usage_hourly where tenant_id = :t and resource_id = :r and meter = :m")
                .param("t", tenant).param("r", instance).param("m", meter)
                .query((rs, n) -> hours.put(rs.getObject("hour", OffsetDateTime.class).toInstant(), rs.getLong("quantity"))).list();
        return hours;
    }

    private List<Long> adjustments(String meter) {
        return jdbc.sql("select delta from usage_adjustment where tenant_id = :t and resource_id = :r and meter = :m order by id")
                .param("t", tenant).param("r", instance).param("m", meter).query(Long.class).list();
    }

    private List<Map<String, Object>> rows() {
        return jdbc.sql("select * from usage_hourly where resource_id = :r order by meter, hour").param("r", instance).query().listOfRows();
    }

    private Map<String, Object> row(String meter, String hour) {
        return jdbc.sql("select * from usage_hourly where resource_id = :r and meter = :m and hour = :h")
                .param("r", instance).param("m", meter).param("h", at(hour).atOffset(ZoneOffset.UTC)).query().singleRow();
    }

    private static Instant at(String instant) {
        return Instant.parse(instant);
    }
}
