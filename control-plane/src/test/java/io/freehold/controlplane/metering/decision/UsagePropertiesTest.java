package io.freehold.controlplane.metering.decision;

import static io.freehold.controlplane.metering.LifecycleEventKind.DELETED;
import static io.freehold.controlplane.metering.LifecycleEventKind.PROVISIONED;
import static io.freehold.controlplane.metering.LifecycleEventKind.RESIZED;
import static io.freehold.controlplane.metering.LifecycleEventKind.STARTED;
import static io.freehold.controlplane.metering.LifecycleEventKind.STOPPED;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SortedMap;
import java.util.TreeMap;

import io.freehold.controlplane.metering.LifecycleEventKind;
import io.freehold.controlplane.metering.LifecycleFact.Shape;
import org.junit.jupiter.api.Test;

/**
 * Properties of usage over random lives of one instance — start, stop, resize, delete by the host or the API, an
 * agent re-joining with a new incarnation that restarts its report seq and re-reports what it sees, redundant
 * reports, sizes left unsaid, times straddling hour, day, month and year ends — delivered shuffled and repeated:
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
    private static final List<Instant> BOUNDARIES = List.of(Instant.parse("2026-02-01T00:00:00Z"), Instant.parse("2026-03-01T00:00:00Z"),
            Instant.parse("2027-01-01T00:00:00Z"), Instant.parse("2028-02-29T00:00:00Z"), Instant.parse("2026-06-15T13:00:00Z"));
    private static final Shape UNSAID = new Shape(0, 0, 0);

    @Test
    void hourlyUsageIsTheExactIntegralWhateverTheDelivery() {
        for (long seed = 1; seed <= CASES; seed++) {
            Random random = new Random(seed);
            Life life = Life.random(random);
            Instant asOf = life.randomAsOf(random);
            String where = "case seed " + seed + ", as of " + asOf + ", life " + life;

            List<MeteredFact> delivery = life.delivered(random);
            List<UsageInterval> intervals = UsageIntegrator.integrate(delivery, asOf);
            SortedMap<HourlyUsage.Bucket, Long> hours = HourlyUsage.of(TENANT, INSTANCE, intervals);

            assertThat(hours).as("(a) equals the second-by-second oracle: " + where).isEqualTo(life.oracle(asOf));
            assertThat(UsageIntegrator.integrate(life.delivered(random), asOf)).as("(b) another delivery: " + where).isEqualTo(intervals);
            assertThat(UsageIntegrator.integrate(life.facts, asOf)).as("(b) each fact once, in order: " + where).isEqualTo(intervals);

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

    /** What truly happened from second {@code at}: running or not, with which sizes. */
    private record Truth(long at, boolean running, Shape shape) {
    }

    /**
     * One instance's true life and the facts its observers reported about it.
     *
     * @param end the second its first delete took effect; Long.MAX_VALUE while it lives
     */
    private record Life(long start, List<Truth> truths, long end, List<MeteredFact> facts) {

        static Life random(Random random) {
            long start = BOUNDARIES.get(random.nextInt(BOUNDARIES.size())).getEpochSecond() - random.nextInt(3 * 3600);
            List<Truth> truths = new ArrayList<>();
            List<MeteredFact> facts = new ArrayList<>();
            int[] incarnation = {1};
            long[] seq = {0};
            long t = start;
            boolean running = false;
            Shape shape = shape(random);
            facts.add(observed(incarnation, seq, PROVISIONED, t, shape));
            truths.add(new Truth(t, false, shape));
            int steps = random.nextInt(16);
            for (int step = 0; step < steps; step++) {
                t += gap(random);
                switch (random.nextInt(6)) {
                    case 0, 1 -> {
                        // a power change; a new size reported with it applies from then
                        running = !running;
                        Shape reported = random.nextInt(4) == 0 ? shape(random) : shape;
                        shape = reported;
                        facts.add(observed(incarnation, seq, running ? STARTED : STOPPED, t, random.nextInt(5) == 0 && shape.equals(truths
                                .get(truths.size() - 1).shape()) ? UNSAID : reported));
                    }
                    case 2 -> {
                        shape = shape(random);
                        facts.add(observed(incarnation, seq, RESIZED, t, shape));
                    }
                    case 3 -> {
                        // the agent re-joins: a new incarnation, seq restarting, re-reporting what it sees
                        incarnation[0]++;
                        seq[0] = 0;
                        facts.add(observed(incarnation, seq, running ? STARTED : STOPPED, t, shape));
                    }
                    case 4 ->
                        // a redundant report of the current power state
                        facts.add(observed(incarnation, seq, running ? STARTED : STOPPED, t, random.nextBoolean() ? shape : UNSAID));
                    default -> {
                        // time passes with nothing to report
                    }
                }
                truths.add(new Truth(t, running, shape));
            }
            long end = Long.MAX_VALUE;
            if (random.nextInt(3) > 0) {
                long byHost = t + gap(random);
                long byApi = t + gap(random);
                boolean api = random.nextBoolean();
                boolean host = !api || random.nextBoolean();
                if (api) {
                    facts.add(new MeteredFact(MeteredFact.Key.deletedByApiKey(), DELETED, Instant.ofEpochSecond(byApi), shape));
                    end = byApi;
                }
                if (host) {
                    if (api && byHost > byApi && running && random.nextBoolean()) {
                        // the host stops the guest after the API's delete: nothing of it counts
                        facts.add(observed(incarnation, seq, STOPPED, byHost, shape));
                        byHost += gap(random);
                    }
                    facts.add(observed(incarnation, seq, DELETED, byHost, UNSAID));
                    end = Math.min(end, byHost);
                }
            }
            return new Life(start, List.copyOf(truths), end, List.copyOf(facts));
        }

        /** The facts as metering might receive them: shuffled, some more than once. */
        List<MeteredFact> delivered(Random random) {
            List<MeteredFact> delivery = new ArrayList<>(facts);
            for (MeteredFact fact : facts) {
                for (int copies = random.nextInt(3) == 0 ? random.nextInt(3) + 1 : 0; copies > 0; copies--) {
                    delivery.add(fact);
                }
            }
            Collections.shuffle(delivery, random);
            return delivery;
        }

        Instant randomAsOf(Random random) {
            long last = Math.max(truths.get(truths.size() - 1).at(), end == Long.MAX_VALUE ? 0 : end);
            return Instant.ofEpochSecond(random.nextInt(4) == 0 ? start + (long) (random.nextDouble() * (last - start + 1))
                    : last + random.nextInt(2 * 3600));
        }

        /** Walks every second of the true life up to asOf and counts it into its hour; shares no code with the integrator. */
        SortedMap<HourlyUsage.Bucket, Long> oracle(Instant asOf) {
            SortedMap<HourlyUsage.Bucket, Long> hours = new TreeMap<>(HourlyUsage.Bucket.ORDER);
            long stop = Math.min(asOf.getEpochSecond(), end);
            int next = 0;
            Truth now = null;
            long[] sums = new long[4];
            long hour = Long.MIN_VALUE;
            Truth counted = null;
            for (long second = start; second < stop; second++) {
                while (next < truths.size() && truths.get(next).at() <= second) {
                    now = truths.get(next++);
                }
                long secondsHour = second - Math.floorMod(second, 3600);
                if (secondsHour != hour || !now.equals(counted) && (counted == null || !sameCount(now, counted))) {
                    flush(hours, hour, counted, sums);
                    hour = secondsHour;
                    counted = now;
                }
                if (now.running()) {
                    sums[0]++;
                    sums[1] += now.shape().vcpus();
                    sums[2] += now.shape().memoryMib();
                }
                sums[3] += now.shape().rootDiskGib();
            }
            flush(hours, hour, counted, sums);
            return hours;
        }

        private static boolean sameCount(Truth a, Truth b) {
            return a.running() == b.running() && a.shape().equals(b.shape());
        }

        private static void flush(SortedMap<HourlyUsage.Bucket, Long> hours, long hour, Truth counted, long[] sums) {
            if (counted != null) {
                String flavor = counted.shape().vcpus() + "vcpu-" + counted.shape().memoryMib() + "mib-" + counted.shape().rootDiskGib() + "gib";
                put(hours, hour, Meter.INSTANCE_SECONDS, flavor, sums[0]);
                put(hours, hour, Meter.VCPU_SECONDS, "", sums[1]);
                put(hours, hour, Meter.MEMORY_GIB_SECONDS, "", sums[2]);
                put(hours, hour, Meter.DISK_GIB_SECONDS, "", sums[3]);
            }
            java.util.Arrays.fill(sums, 0);
        }

        private static void put(SortedMap<HourlyUsage.Bucket, Long> hours, long hour, Meter meter, String flavor, long quantity) {
            if (quantity > 0) {
                hours.merge(new HourlyUsage.Bucket(TENANT, INSTANCE, meter, flavor, Instant.ofEpochSecond(hour)), quantity, Long::sum);
            }
        }

        private static MeteredFact observed(int[] incarnation, long[] seq, LifecycleEventKind event, long at, Shape shape) {
            return new MeteredFact(MeteredFact.Key.observed("h-1", "inc-%03d".formatted(incarnation[0]), ++seq[0]), event,
                    Instant.ofEpochSecond(at), shape);
        }

        private static Shape shape(Random random) {
            return new Shape(1 << random.nextInt(4), 512L * (1 + random.nextInt(32)), 10L * (1 + random.nextInt(10)));
        }

        /** Often the same second or a few seconds, sometimes hours: same-second ties and boundary crossings both occur. */
        private static long gap(Random random) {
            return switch (random.nextInt(4)) {
                case 0 -> random.nextInt(2);
                case 1 -> random.nextInt(120);
                case 2 -> random.nextInt(3600);
                default -> random.nextInt(4 * 3600);
            };
        }

        @Override
        public String toString() {
            return "start=" + Instant.ofEpochSecond(start) + " end=" + (end == Long.MAX_VALUE ? "-" : Instant.ofEpochSecond(end))
                    + " truths=" + truths + " facts=" + facts;
        }
    }
}
