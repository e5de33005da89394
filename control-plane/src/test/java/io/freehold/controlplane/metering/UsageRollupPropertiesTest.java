package io.freehold.controlplane.metering;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;

import io.freehold.controlplane.metering.decision.HourlyUsage;
import io.freehold.controlplane.metering.decision.MeteredFact;
import io.freehold.controlplane.metering.decision.RandomLife;
import io.freehold.controlplane.testing.ApiTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Rollups on PostgreSQL over random lives ({@link RandomLife}): the facts arrive through {@link LifecycleLog} shuffled,
 * repeated and in bursts, with recomputes as of an advancing clock between bursts and hours closed by "billing" at
 * random on the way. Whatever the interleaving:
 * <ol>
 *   <li>every hour's stored quantity plus its adjustments equals the exact integral (the second-by-second oracle);</li>
 *   <li>a closed hour keeps the quantity it was closed with;</li>
 *   <li>recomputing again writes nothing and records no adjustment.</li>
 * </ol>
 * Each of the {@value #CASES} cases is generated from its own seed, which a failure names (docs/decisions/0002).
 */
class UsageRollupPropertiesTest extends ApiTest {

    private static final int CASES = 60;

    @Autowired
    private UsageRollups rollups;
    @Autowired
    private LifecycleLog log;
    @Autowired
    private JdbcClient jdbc;
    @Autowired
    private PlatformTransactionManager transactions;

    @Test
    void storedHoursPlusAdjustmentsAreTheExactIntegralAndRecomputingAgainChangesNothing() {
        for (long seed = 1; seed <= CASES; seed++) {
            Random random = new Random(seed);
            String suffix = UUID.randomUUID().toString();
            RandomLife life = RandomLife.random(random, "t-" + suffix, "i-" + suffix, "h-" + suffix);
            Instant asOf = life.randomAsOf(random);
            String where = "case seed " + seed + ", as of " + asOf + ", life " + life;

            Map<String, Long> closedWith = deliverInBurstsRecomputingAndClosing(life, asOf, random);
            rollups.recompute(life.instanceId(), asOf);

            Map<String, Long> expected = new TreeMap<>();
            life.oracle(asOf).forEach((bucket, quantity) -> expected.put(key(bucket), quantity));
            assertThat(billed(life.instanceId())).as("(a) stored + adjustments = the integral: " + where).isEqualTo(expected);
            Map<String, Long> closedNow = new TreeMap<>(stored(life.instanceId()));
            closedNow.keySet().retainAll(closedWith.keySet());
            assertThat(closedNow).as("(b) closed hours as they were closed: " + where).isEqualTo(closedWith);

            List<Map<String, Object>> rows = rows(life.instanceId());
            UsageRollups.Recomputed again = rollups.recompute(life.instanceId(), asOf);
            assertThat(List.of(again.hoursWritten(), again.adjustments())).as("(c) again: " + where).containsExactly(0, 0);
            assertThat(again.recomputeAgainAt()).as("(c) due again at its latest fact after as-of, if any: " + where)
                    .isEqualTo(life.facts().stream().map(MeteredFact::occurredAt).filter(asOf::isBefore).max(Comparator.naturalOrder())
                            .map(latest -> Map.of(life.instanceId(), latest)).orElse(Map.of()));
            assertThat(rows(life.instanceId())).as("(c) not a row touched: " + where).isEqualTo(rows);
        }
    }

    /**
     * Delivers the facts in random bursts; after each, recomputes as of a later instant (never past {@code asOf}) and
     * sometimes closes a random complete hour. @return the closed hours with the quantity each was closed with
     */
    private Map<String, Long> deliverInBurstsRecomputingAndClosing(RandomLife life, Instant asOf, Random random) {
        List<MeteredFact> delivery = life.delivered(random);
        List<Instant> clock = new ArrayList<>();
        for (int i = 0; i < delivery.size(); i++) {
            clock.add(Instant.ofEpochSecond(life.start() + (long) (random.nextDouble() * (asOf.getEpochSecond() - life.start() + 1))));
        }
        clock.sort(null);
        Map<String, Long> closed = new TreeMap<>();
        for (int i = 0; i < delivery.size(); i++) {
            record(life, delivery.get(i));
            if (random.nextInt(3) > 0) {
                continue;
            }
            rollups.recompute(life.instanceId(), clock.get(i));
            if (random.nextBoolean()) {
                closeARandomCompleteHour(life.instanceId(), clock.get(i), random).forEach(closed::putIfAbsent);
            }
        }
        return closed;
    }

    private void record(RandomLife life, MeteredFact fact) {
        LifecycleFact lifecycleFact = new LifecycleFact(life.instanceId(), life.tenantId(), fact.event(), fact.occurredAt(), 1, fact.shape());
        new TransactionTemplate(transactions).executeWithoutResult(tx -> {
            if (fact.key().deletedByApi()) {
                log.deletedByApi(lifecycleFact, fact.occurredAt());
            } else {
                log.observed(fact.key().hostId(), fact.key().incarnationId(), fact.key().reportSeq(), fact.occurredAt(), Duration.ZERO,
                        lifecycleFact, fact.occurredAt());
            }
        });
    }

    /** Closes, as billing would, every row of one stored hour that ended by {@code now}. @return what it closed */
    private Map<String, Long> closeARandomCompleteHour(String instanceId, Instant now, Random random) {
        List<OffsetDateTime> complete = jdbc.sql("""
                        select distinct hour from usage_hourly
                         where resource_id = :r and not closed and hour + interval '1 hour' <= :now order by hour
                        """)
                .param("r", instanceId).param("now", now.atOffset(ZoneOffset.UTC)).query(OffsetDateTime.class).list();
        if (complete.isEmpty()) {
            return Map.of();
        }
        OffsetDateTime hour = complete.get(random.nextInt(complete.size()));
        Map<String, Long> closed = new TreeMap<>();
        jdbc.sql("update usage_hourly set closed = true, closed_at = now() where resource_id = :r and hour = :h and not closed returning meter, hour, quantity")
                .param("r", instanceId).param("h", hour)
                .query((rs, n) -> closed.put(key(rs.getString("meter"), rs.getObject("hour", OffsetDateTime.class).toInstant()),
                        rs.getLong("quantity")))
                .list();
        return closed;
    }

    /** Every hour's stored quantity plus its adjustments, hours at zero left out (the oracle has no zero hours). */
    private Map<String, Long> billed(String instanceId) {
        Map<String, Long> billed = new TreeMap<>(stored(instanceId));
        jdbc.sql("select meter, hour, delta from usage_adjustment where resource_id = :r").param("r", instanceId)
                .query((rs, n) -> billed.merge(key(rs.getString("meter"), rs.getObject("hour", OffsetDateTime.class).toInstant()),
                        rs.getLong("delta"), Long::sum))
                .list();
        billed.values().removeIf(quantity -> quantity == 0);
        return billed;
    }

    private Map<String, Long> stored(String instanceId) {
        Map<String, Long> stored = new TreeMap<>();
        jdbc.sql("select meter, hour, quantity from usage_hourly where resource_id = :r").param("r", instanceId)
                .query((rs, n) -> stored.put(key(rs.getString("meter"), rs.getObject("hour", OffsetDateTime.class).toInstant()),
                        rs.getLong("quantity")))
                .list();
        return stored;
    }

    private List<Map<String, Object>> rows(String instanceId) {
        return jdbc.sql("select * from usage_hourly where resource_id = :r order by meter, hour").param("r", instanceId).query().listOfRows();
    }

    private static String key(String meter, Instant hour) {
        return hour + " " + meter;
    }

    private static String key(HourlyUsage.Bucket bucket) {
        return key(bucket.storedMeter(), bucket.hour());
    }
}
