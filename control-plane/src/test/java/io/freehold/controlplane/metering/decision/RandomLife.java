package io.freehold.controlplane.metering.decision;

import static io.freehold.controlplane.metering.LifecycleEventKind.DELETED;
import static io.freehold.controlplane.metering.LifecycleEventKind.PROVISIONED;
import static io.freehold.controlplane.metering.LifecycleEventKind.RESIZED;
import static io.freehold.controlplane.metering.LifecycleEventKind.STARTED;
import static io.freehold.controlplane.metering.LifecycleEventKind.STOPPED;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.SortedMap;
import java.util.TreeMap;

import io.freehold.controlplane.metering.LifecycleEventKind;
import io.freehold.controlplane.metering.LifecycleFact.Shape;

/**
 * One instance's random true life and the facts its observers reported about it — start, stop, resize, delete by the
 * host or the API, an agent re-joining with a new incarnation that restarts its report seq and re-reports what it
 * sees, redundant reports, sizes left unsaid, times straddling hour, day, month and year ends — with an oracle that
 * walks the true life second by second. Shared by the pure property test and the one on PostgreSQL.
 *
 * @param end the second its first delete took effect; Long.MAX_VALUE while it lives
 */
public record RandomLife(String tenantId, String instanceId, String hostId, long start, List<Truth> truths, long end,
                         List<MeteredFact> facts) {

    private static final List<Instant> BOUNDARIES = List.of(Instant.parse("2026-02-01T00:00:00Z"), Instant.parse("2026-03-01T00:00:00Z"),
            Instant.parse("2027-01-01T00:00:00Z"), Instant.parse("2028-02-29T00:00:00Z"), Instant.parse("2026-06-15T13:00:00Z"));
    private static final Shape UNSAID = new Shape(0, 0, 0);

    /** What truly happened from second {@code at}: running or not, with which sizes. */
    public record Truth(long at, boolean running, Shape shape) {
    }

    public static RandomLife random(Random random, String tenantId, String instanceId, String hostId) {
        long start = BOUNDARIES.get(random.nextInt(BOUNDARIES.size())).getEpochSecond() - random.nextInt(3 * 3600);
        List<Truth> truths = new ArrayList<>();
        List<MeteredFact> facts = new ArrayList<>();
        int[] incarnation = {1};
        long[] seq = {0};
        long t = start;
        boolean running = false;
        Shape shape = shape(random);
        facts.add(observed(hostId, incarnation, seq, PROVISIONED, t, shape));
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
                    facts.add(observed(hostId, incarnation, seq, running ? STARTED : STOPPED, t, random.nextInt(5) == 0 && shape.equals(truths
                            .get(truths.size() - 1).shape()) ? UNSAID : reported));
                }
                case 2 -> {
                    shape = shape(random);
                    facts.add(observed(hostId, incarnation, seq, RESIZED, t, shape));
                }
                case 3 -> {
                    // the agent re-joins: a new incarnation, seq restarting, re-reporting what it sees
                    incarnation[0]++;
                    seq[0] = 0;
                    facts.add(observed(hostId, incarnation, seq, running ? STARTED : STOPPED, t, shape));
                }
                case 4 ->
                    // a redundant report of the current power state
                    facts.add(observed(hostId, incarnation, seq, running ? STARTED : STOPPED, t, random.nextBoolean() ? shape : UNSAID));
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
                    facts.add(observed(hostId, incarnation, seq, STOPPED, byHost, shape));
                    byHost += gap(random);
                }
                facts.add(observed(hostId, incarnation, seq, DELETED, byHost, UNSAID));
                end = Math.min(end, byHost);
            }
        }
        return new RandomLife(tenantId, instanceId, hostId, start, List.copyOf(truths), end, List.copyOf(facts));
    }

    /** The facts as metering might receive them: shuffled, some more than once. */
    public List<MeteredFact> delivered(Random random) {
        List<MeteredFact> delivery = new ArrayList<>(facts);
        for (MeteredFact fact : facts) {
            for (int copies = random.nextInt(3) == 0 ? random.nextInt(3) + 1 : 0; copies > 0; copies--) {
                delivery.add(fact);
            }
        }
        Collections.shuffle(delivery, random);
        return delivery;
    }

    public Instant randomAsOf(Random random) {
        long last = Math.max(truths.get(truths.size() - 1).at(), end == Long.MAX_VALUE ? 0 : end);
        return Instant.ofEpochSecond(random.nextInt(4) == 0 ? start + (long) (random.nextDouble() * (last - start + 1))
                : last + random.nextInt(2 * 3600));
    }

    /** Walks every second of the true life up to asOf and counts it into its hour; shares no code with the integrator. */
    public SortedMap<HourlyUsage.Bucket, Long> oracle(Instant asOf) {
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
                flush(hours, tenantId, instanceId, hour, counted, sums);
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
        flush(hours, tenantId, instanceId, hour, counted, sums);
        return hours;
    }

    private static boolean sameCount(Truth a, Truth b) {
        return a.running() == b.running() && a.shape().equals(b.shape());
    }

    private static void flush(SortedMap<HourlyUsage.Bucket, Long> hours, String tenantId, String instanceId, long hour, Truth counted, long[] sums) {
        if (counted != null) {
            String flavor = counted.shape().vcpus() + "vcpu-" + counted.shape().memoryMib() + "mib-" + counted.shape().rootDiskGib() + "gib";
            put(hours, tenantId, instanceId, hour, Meter.INSTANCE_SECONDS, flavor, sums[0]);
            put(hours, tenantId, instanceId, hour, Meter.VCPU_SECONDS, "", sums[1]);
            put(hours, tenantId, instanceId, hour, Meter.MEMORY_GIB_SECONDS, "", sums[2]);
            put(hours, tenantId, instanceId, hour, Meter.DISK_GIB_SECONDS, "", sums[3]);
        }
        Arrays.fill(sums, 0);
    }

    private static void put(SortedMap<HourlyUsage.Bucket, Long> hours, String tenantId, String instanceId, long hour, Meter meter, String flavor, long quantity) {
        if (quantity > 0) {
            hours.merge(new HourlyUsage.Bucket(tenantId, instanceId, meter, flavor, Instant.ofEpochSecond(hour)), quantity, Long::sum);
        }
    }

    private static MeteredFact observed(String hostId, int[] incarnation, long[] seq, LifecycleEventKind event, long at, Shape shape) {
        return new MeteredFact(MeteredFact.Key.observed(hostId, "inc-%03d".formatted(incarnation[0]), ++seq[0]), event,
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
