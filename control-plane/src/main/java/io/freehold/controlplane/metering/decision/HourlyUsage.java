package io.freehold.controlplane.metering.decision;

import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

import io.freehold.controlplane.metering.LifecycleFact.Shape;

/**
 * Usage intervals cut into UTC hours. An hour is [hh:00:00, hh+1:00:00) in UTC; UTC has no daylight saving and
 * {@link Instant} no leap seconds, so every hour is 3,600 seconds and day and month boundaries are hour boundaries.
 * Each interval's quantity is split exactly — rate × the seconds of it inside the hour — so an instance's hours
 * add up to its intervals with no rounding.
 */
public final class HourlyUsage {

    private static final long HOUR = 3600;

    private HourlyUsage() {
    }

    /**
     * One hourly row.
     *
     * @param flavor for {@code instance.seconds}, the shape it ran as (an instance resized within an hour has a row
     *               per shape); empty for the other meters, whose rate already carries the size
     * @param hour   the hour's first second
     */
    public record Bucket(String tenantId, String resourceId, Meter meter, String flavor, Instant hour) {

        static final Comparator<Bucket> ORDER = Comparator.comparing(Bucket::tenantId).thenComparing(Bucket::resourceId)
                .thenComparing(Bucket::meter).thenComparing(Bucket::hour).thenComparing(Bucket::flavor);

        public Bucket {
            Objects.requireNonNull(tenantId);
            Objects.requireNonNull(resourceId);
            Objects.requireNonNull(meter);
            Objects.requireNonNull(flavor);
            if (hour.getEpochSecond() % HOUR != 0 || hour.getNano() != 0) {
                throw new IllegalArgumentException("an hour starts on the hour: " + hour);
            }
        }

        /**
         * The name the row is stored under, so that the store's key stays (tenant, resource, meter, hour): the
         * meter's name, and for {@code instance.seconds} its flavor after a colon, e.g.
         * {@code instance.seconds:2vcpu-4096mib-20gib}.
         */
        public String storedMeter() {
            return HourlyUsage.storedMeter(meter, flavor);
        }
    }

    /**
     * One hourly row of one resource, by the name it is stored under.
     *
     * @param storedMeter as {@link Bucket#storedMeter()}
     * @param hour        the hour's first second, epoch seconds
     */
    public record MeterHour(String storedMeter, long hour) {
    }

    /** Every hour the intervals touch, with its exact quantity in the meter's stored unit. */
    public static SortedMap<Bucket, Long> of(String tenantId, String resourceId, Collection<UsageInterval> intervals) {
        SortedMap<Bucket, Long> hours = new TreeMap<>(Bucket.ORDER);
        cut(intervals, Long.MIN_VALUE, Long.MAX_VALUE, (interval, flavor, storedMeter, hour, quantity) -> hours.merge(
                new Bucket(tenantId, resourceId, interval.meter(), flavor, Instant.ofEpochSecond(hour)), quantity, Math::addExact));
        return hours;
    }

    /**
     * The same hours and quantities as {@link #of}, unordered and keyed by stored meter name and hour only: what a
     * recompute of one resource compares with its stored rows, without a sorted map of full buckets per hour.
     */
    public static Map<MeterHour, Long> byStoredMeter(Collection<UsageInterval> intervals) {
        Map<MeterHour, Long> hours = new HashMap<>();
        cut(intervals, Long.MIN_VALUE, Long.MAX_VALUE,
                (interval, flavor, storedMeter, hour, quantity) -> hours.merge(new MeterHour(storedMeter, hour), quantity, Math::addExact));
        return hours;
    }

    /** One hour alone, computed from the same intervals: equal to that hour's rows of {@link #of}. */
    public static SortedMap<Bucket, Long> hour(String tenantId, String resourceId, Collection<UsageInterval> intervals, Instant hour) {
        long start = hour.getEpochSecond();
        SortedMap<Bucket, Long> hours = new TreeMap<>(Bucket.ORDER);
        cut(intervals, start, start + HOUR, (interval, flavor, storedMeter, at, quantity) -> hours.merge(
                new Bucket(tenantId, resourceId, interval.meter(), flavor, Instant.ofEpochSecond(at)), quantity, Math::addExact));
        return hours;
    }

    /** The first second of the UTC hour holding the given second (also for times before 1970). */
    public static long hourOf(long epochSecond) {
        return Math.floorDiv(epochSecond, HOUR) * HOUR;
    }

    /** One interval's part in one hour. */
    @FunctionalInterface
    private interface Piece {
        void add(UsageInterval interval, String flavor, String storedMeter, long hour, long quantity);
    }

    /**
     * Cuts the intervals' parts within [from, to) at every hour boundary: each part's quantity is the rate × its
     * seconds in that hour. Names are worked out once per interval, not per hour.
     */
    private static void cut(Collection<UsageInterval> intervals, long from, long to, Piece pieces) {
        for (UsageInterval interval : intervals) {
            long start = Math.max(interval.from().getEpochSecond(), from);
            long stop = Math.min(interval.to().getEpochSecond(), to);
            if (start >= stop) {
                continue;
            }
            String flavor = interval.meter() == Meter.INSTANCE_SECONDS ? flavor(interval.shape()) : "";
            String storedMeter = storedMeter(interval.meter(), flavor);
            for (long hour = hourOf(start); hour < stop; hour += HOUR) {
                long seconds = Math.min(stop, hour + HOUR) - Math.max(start, hour);
                pieces.add(interval, flavor, storedMeter, hour, Math.multiplyExact(interval.rate(), seconds));
            }
        }
    }

    private static String storedMeter(Meter meter, String flavor) {
        return flavor.isEmpty() ? meter.meterName() : meter.meterName() + ":" + flavor;
    }

    /** A shape's readable name, e.g. {@code 2vcpu-4096mib-20gib}. */
    public static String flavor(Shape shape) {
        return shape.vcpus() + "vcpu-" + shape.memoryMib() + "mib-" + shape.rootDiskGib() + "gib";
    }
}
