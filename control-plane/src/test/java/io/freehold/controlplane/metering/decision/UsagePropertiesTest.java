package io.freehold.controlplane.metering.decision;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.SortedMap;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

/**
 * Properties of usage over random lives of one instance ({@link RandomLife}) delivered shuffled and repeated:
 * <ol>
 *   <li>the hourly rows equal an oracle that walks the instance's true life second by second;</li>
 *   <li>the usage does not depend on delivery order or repeats;</li>
 *   <li>any hour recomputed — alone, from another delivery, or as of a later instant — has the same numbers.</li>
 * </ol>
 * Each of the {@value #CASES} cases is generated from its own seed, which a failure names (docs/decisions/0002).
 */
class UsagePropertiesTest {

    private static final int CASES = 400;
    private static final String TENANT = "t-1";
    private static final String INSTANCE = "i-1";

    @Test
    void hourlyUsageIsTheExactIntegralWhateverTheDelivery() {
        for (long seed = 1; seed <= CASES; seed++) {
            Random random = new Random(seed);
            RandomLife life = RandomLife.random(random, TENANT, INSTANCE, "h-1");
            Instant asOf = life.randomAsOf(random);
            String where = "case seed " + seed + ", as of " + asOf + ", life " + life;

            List<MeteredFact> delivery = life.delivered(random);
            List<UsageInterval> intervals = UsageIntegrator.integrate(delivery, asOf);
            SortedMap<HourlyUsage.Bucket, Long> hours = HourlyUsage.of(TENANT, INSTANCE, intervals);

            assertThat(hours).as("(a) equals the second-by-second oracle: " + where).isEqualTo(life.oracle(asOf));
            assertThat(UsageIntegrator.integrate(life.delivered(random), asOf)).as("(b) another delivery: " + where).isEqualTo(intervals);
            assertThat(UsageIntegrator.integrate(life.facts(), asOf)).as("(b) each fact once, in order: " + where).isEqualTo(intervals);

            if (hours.isEmpty()) {
                continue;
            }
            List<HourlyUsage.Bucket> buckets = new ArrayList<>(hours.keySet());
            Instant hour = buckets.get(random.nextInt(buckets.size())).hour();
            SortedMap<HourlyUsage.Bucket, Long> thatHour = new TreeMap<>(HourlyUsage.Bucket.ORDER);
            hours.forEach((bucket, quantity) -> {
                if (bucket.hour().equals(hour)) {
                    thatHour.put(bucket, quantity);
                }
            });
            assertThat(HourlyUsage.hour(TENANT, INSTANCE, intervals, hour)).as("(c) hour %s alone: %s", hour, where).isEqualTo(thatHour);
            assertThat(HourlyUsage.hour(TENANT, INSTANCE, UsageIntegrator.integrate(life.delivered(random), asOf), hour))
                    .as("(c) hour %s from another delivery: %s", hour, where).isEqualTo(thatHour);
            if (hour.plusSeconds(3600).isAfter(asOf)) {
                continue;
            }
            Instant later = asOf.plusSeconds(random.nextInt(4 * 3600) + 1);
            assertThat(HourlyUsage.hour(TENANT, INSTANCE, UsageIntegrator.integrate(life.delivered(random), later), hour))
                    .as("(c) hour %s, complete, as of a later %s: %s", hour, later, where).isEqualTo(thatHour);
        }
    }
}
