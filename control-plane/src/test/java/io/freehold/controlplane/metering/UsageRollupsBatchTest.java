package io.freehold.controlplane.metering;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.freehold.controlplane.metering.LifecycleFact.Shape;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The batch path on real PostgreSQL: recomputing many instances at once writes exactly what recomputing each alone
 * writes — hours, late changes, adjustments of closed hours — and batches that share instances, in any order, wait
 * for each other instead of deadlocking.
 */
class UsageRollupsBatchTest extends MeteringTest {

    private static final Shape[] SHAPES = {new Shape(1, 1024, 10), new Shape(2, 4096, 20), new Shape(4, 8192, 40)};
    private static final LifecycleEventKind[] EVENTS = {LifecycleEventKind.STARTED, LifecycleEventKind.STOPPED, LifecycleEventKind.STARTED,
            LifecycleEventKind.STOPPED, LifecycleEventKind.RESIZED};
    private static final Instant DAY = Instant.parse("2026-04-01T00:00:00Z");

    @Autowired
    private UsageRollups rollups;

    private final AtomicLong seq = new AtomicLong();

    @Test
    void aBatchWritesWhatEachInstanceAloneWrites() {
        Random random = new Random(7);
        List<String> alone = new ArrayList<>();
        List<String> batched = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            String one = "i-" + UUID.randomUUID();
            String twin = "i-" + UUID.randomUUID();
            for (Fact fact : randomLife(random, i == 11)) {
                record(one, fact);
                record(twin, fact);
            }
            alone.add(one);
            batched.add(twin);
        }
        Instant asOf = DAY.plus(Duration.ofDays(3)).plusSeconds(1234);

        assertThat(rollups.recomputeAll(batched, asOf)).isEqualTo(eachAlone(alone, asOf));
        assertSameRows(alone, batched);

        // Billing closes the first day; late facts arrive for every instance, some inside the closed day.
        for (int i = 0; i < alone.size(); i++) {
            close(alone.get(i));
            close(batched.get(i));
            Fact late = new Fact(LifecycleEventKind.values()[1 + random.nextInt(3)], DAY.plusSeconds(random.nextInt(2 * 86_400)),
                    SHAPES[random.nextInt(SHAPES.length)]);
            record(alone.get(i), late);
            record(batched.get(i), late);
        }
        UsageRollups.Recomputed late = rollups.recomputeAll(batched, asOf.plusSeconds(3600));

        assertThat(late).isEqualTo(eachAlone(alone, asOf.plusSeconds(3600)));
        assertThat(late.adjustments()).as("some late facts changed closed hours").isPositive();
        assertSameRows(alone, batched);
        for (int i = 0; i < alone.size(); i++) {
            assertThat(adjustments(batched.get(i))).isEqualTo(adjustments(alone.get(i)));
        }
        assertThat(rollups.recomputeAll(batched, asOf.plusSeconds(3600))).isEqualTo(new UsageRollups.Recomputed(0, 0));
    }

    @Test
    void overlappingBatchesInAnyOrderNeverDeadlock() throws Exception {
        List<String> instances = new ArrayList<>();
        Random random = new Random(11);
        for (int i = 0; i < 24; i++) {
            String instance = "i-" + UUID.randomUUID();
            randomLife(random, false).forEach(fact -> record(instance, fact));
            instances.add(instance);
        }
        int replicas = 6;
        int rounds = 5;
        CyclicBarrier together = new CyclicBarrier(replicas);
        ExecutorService pool = Executors.newFixedThreadPool(replicas);
        List<Future<Integer>> runs = new ArrayList<>();
        for (int r = 0; r < replicas; r++) {
            Random order = new Random(r);
            runs.add(pool.submit(() -> {
                int written = 0;
                for (int round = 0; round < rounds; round++) {
                    // Different overlapping batches, each listed in its own order.
                    List<String> mine = new ArrayList<>(instances);
                    Collections.shuffle(mine, order);
                    together.await(20, TimeUnit.SECONDS);
                    written += rollups.recomputeAll(mine.subList(0, 16), DAY.plus(Duration.ofDays(3)).plusSeconds(round)).hoursWritten();
                }
                return written;
            }));
        }
        for (Future<Integer> run : runs) {
            assertThat(run.get(60, TimeUnit.SECONDS)).as("no replica failed with a deadlock").isPositive();
        }
        pool.shutdown();

        Instant end = DAY.plus(Duration.ofDays(3)).plusSeconds(rounds);
        rollups.recomputeAll(instances, end);
        String twin = "i-" + UUID.randomUUID();
        lifeOf(instances.get(0)).forEach(fact -> record(twin, fact));
        rollups.recompute(twin, end);
        assertThat(rows(instances.get(0))).as("as if recomputed alone").isEqualTo(rows(twin));
    }

    private UsageRollups.Recomputed eachAlone(List<String> instances, Instant asOf) {
        int written = 0;
        int adjustments = 0;
        for (String instance : instances) {
            UsageRollups.Recomputed one = rollups.recompute(instance, asOf);
            written += one.hoursWritten();
            adjustments += one.adjustments();
        }
        return new UsageRollups.Recomputed(written, adjustments);
    }

    private void assertSameRows(List<String> alone, List<String> batched) {
        for (int i = 0; i < alone.size(); i++) {
            assertThat(rows(batched.get(i))).as("instance %d", i).isEqualTo(rows(alone.get(i))).isNotEmpty();
        }
    }

    /** A few days of starts, stops and resizes at random seconds; optionally deleted on the second day. */
    private static List<Fact> randomLife(Random random, boolean deleted) {
        List<Fact> facts = new ArrayList<>();
        Instant at = DAY.plusSeconds(random.nextInt(7200));
        facts.add(new Fact(LifecycleEventKind.PROVISIONED, at, SHAPES[random.nextInt(SHAPES.length)]));
        for (int i = 0; i < 10; i++) {
            at = at.plusSeconds(1 + random.nextInt(6 * 3600));
            facts.add(new Fact(EVENTS[random.nextInt(EVENTS.length)], at, random.nextInt(4) == 0 ? SHAPES[random.nextInt(SHAPES.length)]
                    : new Shape(0, 0, 0)));
        }
        if (deleted) {
            facts.add(new Fact(LifecycleEventKind.DELETED, DAY.plus(Duration.ofHours(30)), new Shape(0, 0, 0)));
        }
        return facts;
    }

    private List<Fact> lifeOf(String instance) {
        return jdbc.sql("select event, occurred_at, vcpus, memory_mib, root_disk_gib from lifecycle_event where instance_id = :i order by id")
                .param("i", instance)
                .query((rs, n) -> new Fact(LifecycleEventKind.valueOf(rs.getString("event").toUpperCase(Locale.ROOT)),
                        rs.getObject("occurred_at", OffsetDateTime.class).toInstant(),
                        new Shape(rs.getInt("vcpus"), rs.getLong("memory_mib"), rs.getLong("root_disk_gib"))))
                .list();
    }

    private record Fact(LifecycleEventKind event, Instant at, Shape shape) {
    }

    private void record(String instance, Fact fact) {
        agent.report(seq.incrementAndGet(), instance, tenant, fact.event(), fact.at(), fact.shape(), fact.at());
    }

    private void close(String instance) {
        jdbc.sql("update usage_hourly set closed = true, closed_at = now() where resource_id = :r and hour < :h")
                .param("r", instance).param("h", DAY.plus(Duration.ofDays(1)).atOffset(ZoneOffset.UTC)).update();
    }

    private Map<String, Long> rows(String instance) {
        Map<String, Long> rows = new TreeMap<>();
        jdbc.sql("select meter, hour, quantity, closed from usage_hourly where tenant_id = :t and resource_id = :r")
                .param("t", tenant).param("r", instance)
                .query(rs -> {
                    rows.put(rs.getString("meter") + " " + rs.getObject("hour", OffsetDateTime.class).toInstant()
                            + (rs.getBoolean("closed") ? " closed" : ""), rs.getLong("quantity"));
                });
        return rows;
    }

    private List<String> adjustments(String instance) {
        return jdbc.sql("select meter, hour, delta from usage_adjustment where resource_id = :r order by meter, hour, id")
                .param("r", instance)
                .query((rs, n) -> rs.getString("meter") + " " + rs.getObject("hour", OffsetDateTime.class).toInstant() + " "
                        + rs.getLong("delta"))
                .list();
    }
}
