package io.freehold.controlplane.metering.decision;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.freehold.controlplane.metering.LifecycleFact.Shape;
import org.junit.jupiter.api.Test;

/** How {@link HourlyUsage} cuts intervals at UTC hour, day, month and year boundaries, exactly. */
class HourlyUsageTest {

    private static final Shape SMALL = new Shape(2, 4096, 20);
    private static final Shape LARGE = new Shape(4, 8192, 40);

    @Test
    void anIntervalAcrossAMonthEndIsSplitAtEachHourWithNothingLostOrRounded() {
        UsageInterval interval = interval(Meter.VCPU_SECONDS, "2026-01-31T23:59:30Z", "2026-02-01T01:00:10Z", 3, SMALL);

        Map<HourlyUsage.Bucket, Long> hours = HourlyUsage.of("t", "i", List.of(interval));

        assertThat(hours).containsExactly(
                Map.entry(bucket(Meter.VCPU_SECONDS, "", "2026-01-31T23:00:00Z"), 30L * 3),
                Map.entry(bucket(Meter.VCPU_SECONDS, "", "2026-02-01T00:00:00Z"), 3600L * 3),
                Map.entry(bucket(Meter.VCPU_SECONDS, "", "2026-02-01T01:00:00Z"), 10L * 3));
        assertThat(hours.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(interval.quantity());
    }

    @Test
    void oneSecondPastTheHourIsCountedInTheNextHour() {
        Map<HourlyUsage.Bucket, Long> hours = HourlyUsage.of("t", "i",
                List.of(interval(Meter.VCPU_SECONDS, "2026-02-28T23:59:59Z", "2026-03-01T00:00:01Z", 2, SMALL)));

        assertThat(hours).containsExactly(
                Map.entry(bucket(Meter.VCPU_SECONDS, "", "2026-02-28T23:00:00Z"), 2L),
                Map.entry(bucket(Meter.VCPU_SECONDS, "", "2026-03-01T00:00:00Z"), 2L));
    }

    @Test
    void anIntervalOfExactlyOneHourFillsOneBucketAndTouchesNeitherNeighbour() {
        Map<HourlyUsage.Bucket, Long> hours = HourlyUsage.of("t", "i",
                List.of(interval(Meter.DISK_GIB_SECONDS, "2026-12-31T23:00:00Z", "2027-01-01T00:00:00Z", 20, SMALL)));

        assertThat(hours).containsExactly(Map.entry(bucket(Meter.DISK_GIB_SECONDS, "", "2026-12-31T23:00:00Z"), 3600L * 20));
    }

    @Test
    void aLeapDayIsTwentyFourOrdinaryHours() {
        Map<HourlyUsage.Bucket, Long> hours = HourlyUsage.of("t", "i",
                List.of(interval(Meter.INSTANCE_SECONDS, "2028-02-28T23:30:00Z", "2028-03-01T00:30:00Z", 1, SMALL)));

        assertThat(hours).hasSize(26);
        assertThat(hours.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(24 * 3600 + 3600);
        assertThat(hours.get(bucket(Meter.INSTANCE_SECONDS, "2vcpu-4096mib-20gib", "2028-02-29T12:00:00Z"))).isEqualTo(3600);
    }

    @Test
    void instanceSecondsResizedWithinAnHourHaveARowPerFlavor() {
        Map<HourlyUsage.Bucket, Long> hours = HourlyUsage.of("t", "i", List.of(
                interval(Meter.INSTANCE_SECONDS, "2026-03-01T10:15:00Z", "2026-03-01T10:20:00Z", 1, SMALL),
                interval(Meter.INSTANCE_SECONDS, "2026-03-01T10:20:00Z", "2026-03-01T10:21:00Z", 1, LARGE)));

        assertThat(hours).containsExactly(
                Map.entry(bucket(Meter.INSTANCE_SECONDS, "2vcpu-4096mib-20gib", "2026-03-01T10:00:00Z"), 300L),
                Map.entry(bucket(Meter.INSTANCE_SECONDS, "4vcpu-8192mib-40gib", "2026-03-01T10:00:00Z"), 60L));
        assertThat(hours.keySet()).extracting(HourlyUsage.Bucket::storedMeter)
                .as("the flavor goes into the stored meter name, so the stored key stays (tenant, resource, meter, hour)")
                .containsExactly("instance.seconds:2vcpu-4096mib-20gib", "instance.seconds:4vcpu-8192mib-40gib");
        assertThat(bucket(Meter.VCPU_SECONDS, "", "2026-03-01T10:00:00Z").storedMeter()).isEqualTo("vcpu.seconds");
    }

    @Test
    void oneHourComputedAloneEqualsThatHourOfTheWhole() {
        List<UsageInterval> intervals = List.of(
                interval(Meter.MEMORY_GIB_SECONDS, "2026-01-31T22:10:00Z", "2026-02-01T02:00:01Z", 4096, SMALL),
                interval(Meter.MEMORY_GIB_SECONDS, "2026-02-01T02:00:01Z", "2026-02-01T03:00:00Z", 8192, LARGE));
        Instant hour = Instant.parse("2026-02-01T02:00:00Z");

        assertThat(HourlyUsage.hour("t", "i", intervals, hour)).containsExactly(
                Map.entry(bucket(Meter.MEMORY_GIB_SECONDS, "", "2026-02-01T02:00:00Z"), 4096L + 3599L * 8192));
        assertThat(HourlyUsage.hour("t", "i", intervals, hour))
                .isEqualTo(Map.of(bucket(Meter.MEMORY_GIB_SECONDS, "", "2026-02-01T02:00:00Z"),
                        HourlyUsage.of("t", "i", intervals).get(bucket(Meter.MEMORY_GIB_SECONDS, "", "2026-02-01T02:00:00Z"))));
    }

    @Test
    void theRowsByStoredMeterAreTheBucketsOfTheWholeUnderTheirStoredNames() {
        java.util.Random random = new java.util.Random(3);
        Shape[] shapes = {SMALL, LARGE};
        List<UsageInterval> intervals = new java.util.ArrayList<>();
        for (int i = 0; i < 200; i++) {
            Instant from = Instant.parse("2026-02-27T00:00:00Z").plusSeconds(random.nextInt(5 * 86_400));
            intervals.add(new UsageInterval(Meter.values()[random.nextInt(Meter.values().length)], from,
                    from.plusSeconds(1 + random.nextInt(3 * 86_400)), 1 + random.nextInt(8192), shapes[random.nextInt(2)]));
        }
        Map<HourlyUsage.MeterHour, Long> expected = new java.util.HashMap<>();
        HourlyUsage.of("t", "i", intervals).forEach((bucket, quantity) ->
                expected.put(new HourlyUsage.MeterHour(bucket.storedMeter(), bucket.hour().getEpochSecond()), quantity));

        assertThat(HourlyUsage.byStoredMeter(intervals)).isEqualTo(expected).hasSizeGreaterThan(500);
    }

    private static UsageInterval interval(Meter meter, String from, String to, long rate, Shape shape) {
        return new UsageInterval(meter, Instant.parse(from), Instant.parse(to), rate, shape);
    }

    private static HourlyUsage.Bucket bucket(Meter meter, String flavor, String hour) {
        return new HourlyUsage.Bucket("t", "i", meter, flavor, Instant.parse(hour));
    }
}
