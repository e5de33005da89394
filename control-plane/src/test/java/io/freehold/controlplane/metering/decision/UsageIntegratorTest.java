package io.freehold.controlplane.metering.decision;

import static io.freehold.controlplane.metering.LifecycleEventKind.DELETED;
import static io.freehold.controlplane.metering.LifecycleEventKind.PROVISIONED;
import static io.freehold.controlplane.metering.LifecycleEventKind.RESIZED;
import static io.freehold.controlplane.metering.LifecycleEventKind.STARTED;
import static io.freehold.controlplane.metering.LifecycleEventKind.STOPPED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

import io.freehold.controlplane.metering.LifecycleEventKind;
import io.freehold.controlplane.metering.LifecycleFact.Shape;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The rules of {@link UsageIntegrator}, one table row each: the facts, the instant usage is computed as of, and the
 * totals per meter it must give (instance seconds, vCPU·s, MiB·s, disk GiB·s) with the number of running intervals.
 * Every row is also checked with its facts reversed, shuffled and repeated, which must change nothing.
 */
class UsageIntegratorTest {

    /** 23:00 on the last day of a month: hour, day and month boundaries lie an hour in. */
    private static final long T0 = Instant.parse("2026-01-31T23:00:00Z").getEpochSecond();
    private static final Shape SMALL = new Shape(2, 4096, 20);
    private static final Shape LARGE = new Shape(4, 8192, 40);
    private static final Shape UNSAID = new Shape(0, 0, 0);

    record Row(String rule, List<MeteredFact> facts, long asOf, long instance, long vcpu, long memoryMib, long disk, int runningIntervals) {
    }

    static Stream<Row> rows() {
        return Stream.of(
                new Row("started then stopped counts the seconds between, weighted by the shape",
                        List.of(f("a", 1, PROVISIONED, 0, SMALL), f("a", 2, STARTED, 100, SMALL), f("a", 3, STOPPED, 160, SMALL)),
                        1000, 60, 120, 60 * 4096, 20 * 1000, 1),
                new Row("still running is closed at asOf",
                        List.of(f("a", 1, PROVISIONED, 0, SMALL), f("a", 2, STARTED, 100, SMALL)),
                        400, 300, 600, 300 * 4096, 20 * 400, 1),
                new Row("started twice without stopped is one interval from the first start",
                        List.of(f("a", 1, PROVISIONED, 0, SMALL), f("a", 2, STARTED, 100, SMALL), f("a", 3, STARTED, 200, SMALL),
                                f("a", 4, STOPPED, 300, SMALL)),
                        1000, 200, 400, 200 * 4096, 20 * 1000, 1),
                new Row("a re-joined agent's new incarnation repeating started is a new fact and no second count",
                        List.of(f("a", 1, PROVISIONED, 0, SMALL), f("a", 2, STARTED, 100, SMALL), f("b", 1, STARTED, 250, SMALL),
                                f("b", 2, STOPPED, 400, SMALL)),
                        1000, 300, 600, 300 * 4096, 20 * 1000, 1),
                new Row("a new incarnation's seq 2 is not the old incarnation's seq 2",
                        List.of(f("a", 1, PROVISIONED, 0, SMALL), f("a", 2, STARTED, 100, SMALL), f("a", 3, STOPPED, 200, SMALL),
                                f("b", 2, STARTED, 300, SMALL), f("b", 3, STOPPED, 350, SMALL)),
                        1000, 150, 300, 150 * 4096, 20 * 1000, 2),
                new Row("started again with another shape changes the shape from then, without a gap",
                        List.of(f("a", 1, STARTED, 100, SMALL), f("a", 2, STARTED, 200, LARGE), f("a", 3, STOPPED, 300, UNSAID)),
                        1000, 200, 2 * 100 + 4 * 100, 4096 * 100 + 8192 * 100, 20 * 100 + 40 * 800, 2),
                new Row("stopped without started changes nothing: no running time is invented",
                        List.of(f("a", 1, PROVISIONED, 0, SMALL), f("a", 2, STOPPED, 50, SMALL), f("a", 3, STARTED, 100, SMALL),
                                f("a", 4, STOPPED, 200, SMALL)),
                        1000, 100, 200, 100 * 4096, 20 * 1000, 1),
                new Row("stopped twice ends running at the first",
                        List.of(f("a", 1, STARTED, 100, SMALL), f("a", 2, STOPPED, 200, SMALL), f("a", 3, STOPPED, 300, SMALL)),
                        1000, 100, 200, 100 * 4096, 20 * 900, 1),
                new Row("resized while running changes the weights from its second; instance seconds split by flavor",
                        List.of(f("a", 1, PROVISIONED, 0, SMALL), f("a", 2, STARTED, 100, SMALL), f("a", 3, RESIZED, 200, LARGE),
                                f("a", 4, STOPPED, 300, UNSAID)),
                        1000, 200, 2 * 100 + 4 * 100, 4096 * 100 + 8192 * 100, 20 * 200 + 40 * 800, 2),
                new Row("resized while stopped changes only the disk",
                        List.of(f("a", 1, PROVISIONED, 0, SMALL), f("a", 2, RESIZED, 500, LARGE)),
                        1000, 0, 0, 0, 20 * 500 + 40 * 500, 0),
                new Row("nothing after the API's delete counts, even facts the host reports later",
                        List.of(f("a", 1, PROVISIONED, 0, SMALL), f("a", 2, STARTED, 100, SMALL), api(200, SMALL),
                                f("a", 3, STOPPED, 300, SMALL), f("a", 4, STARTED, 400, SMALL), f("a", 5, DELETED, 500, SMALL)),
                        1000, 100, 200, 100 * 4096, 20 * 200, 1),
                new Row("the earlier of the host's and the API's delete counts (host first)",
                        List.of(f("a", 1, PROVISIONED, 0, SMALL), f("a", 2, STARTED, 100, SMALL), f("a", 3, DELETED, 150, UNSAID),
                                api(200, SMALL)),
                        1000, 50, 100, 50 * 4096, 20 * 150, 1),
                new Row("a lost provisioned: the disk counts from the first fact observed of the guest",
                        List.of(f("a", 2, STARTED, 100, SMALL), f("a", 3, STOPPED, 200, SMALL)),
                        1000, 100, 200, 100 * 4096, 20 * 900, 1),
                new Row("provisioned again (e.g. on another host) ends running; the disk goes on",
                        List.of(f("a", 1, STARTED, 100, SMALL), Fact.on("h2", "c", 1, PROVISIONED, 300, SMALL)),
                        1000, 200, 400, 200 * 4096, 20 * 900, 1),
                new Row("same second, one incarnation: started then stopped by seq is not running",
                        List.of(f("a", 1, PROVISIONED, 0, SMALL), f("a", 3, STOPPED, 100, SMALL), f("a", 2, STARTED, 100, SMALL)),
                        1000, 0, 0, 0, 20 * 1000, 0),
                new Row("same second, one incarnation: stopped then started by seq is running",
                        List.of(f("a", 1, PROVISIONED, 0, SMALL), f("a", 2, STOPPED, 100, SMALL), f("a", 3, STARTED, 100, SMALL)),
                        1000, 900, 1800, 900 * 4096, 20 * 1000, 1),
                new Row("facts at or after asOf are not yet known",
                        List.of(f("a", 1, STARTED, 100, SMALL), f("a", 2, STOPPED, 300, SMALL), f("a", 3, STARTED, 200, LARGE)),
                        200, 100, 200, 100 * 4096, 20 * 100, 1),
                new Row("a zero size is unsaid and keeps the size in force",
                        List.of(f("a", 1, PROVISIONED, 0, SMALL), f("a", 2, STARTED, 100, UNSAID), f("a", 3, STOPPED, 200, UNSAID)),
                        1000, 100, 200, 100 * 4096, 20 * 1000, 1),
                new Row("a size never said weighs zero; instance seconds still count",
                        List.of(f("a", 1, STARTED, 100, UNSAID), f("a", 2, STOPPED, 200, UNSAID)),
                        1000, 100, 0, 0, 0, 1),
                new Row("started and stopped in one second is no time",
                        List.of(f("a", 1, PROVISIONED, 100, SMALL), f("a", 2, STARTED, 100, SMALL), f("a", 3, STOPPED, 100, SMALL),
                                api(100, SMALL)),
                        1000, 0, 0, 0, 0, 0),
                new Row("a delete alone counts nothing", List.of(api(100, SMALL)), 1000, 0, 0, 0, 0, 0),
                new Row("asOf before every fact counts nothing",
                        List.of(f("a", 1, PROVISIONED, 100, SMALL), f("a", 2, STARTED, 100, SMALL)), 50, 0, 0, 0, 0, 0));
    }

    @TestFactory
    Stream<DynamicTest> eachRule() {
        return rows().map(row -> DynamicTest.dynamicTest(row.rule(), () -> {
            List<MeteredFact> reversed = new ArrayList<>(row.facts());
            Collections.reverse(reversed);
            List<MeteredFact> shuffledTwice = new ArrayList<>(row.facts());
            shuffledTwice.addAll(row.facts());
            Collections.shuffle(shuffledTwice, new Random(row.rule().hashCode()));
            Instant asOf = Instant.ofEpochSecond(T0 + row.asOf());

            List<UsageInterval> intervals = UsageIntegrator.integrate(row.facts(), asOf);

            assertThat(totals(intervals)).as(intervals.toString()).isEqualTo(Map.of(
                    Meter.INSTANCE_SECONDS, row.instance(), Meter.VCPU_SECONDS, row.vcpu(),
                    Meter.MEMORY_GIB_SECONDS, row.memoryMib(), Meter.DISK_GIB_SECONDS, row.disk()));
            assertThat(intervals.stream().filter(i -> i.meter() == Meter.INSTANCE_SECONDS)).hasSize(row.runningIntervals());
            assertThat(UsageIntegrator.integrate(reversed, asOf)).isEqualTo(intervals);
            assertThat(UsageIntegrator.integrate(shuffledTwice, asOf)).isEqualTo(intervals);
        }));
    }

    @Test
    void twoDifferentFactsUnderOneKeyAreRefusedNotGuessedBetween() {
        List<MeteredFact> facts = List.of(f("a", 1, STARTED, 100, SMALL), f("a", 1, STOPPED, 100, SMALL));

        assertThatThrownBy(() -> UsageIntegrator.integrate(facts, Instant.ofEpochSecond(T0 + 1000)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("share the key");
    }

    @Test
    void instanceSecondsCarryTheShapeTheyRanWith() {
        List<UsageInterval> intervals = UsageIntegrator.integrate(
                List.of(f("a", 1, STARTED, 100, SMALL), f("a", 2, RESIZED, 200, LARGE)), Instant.ofEpochSecond(T0 + 300));

        assertThat(intervals.stream().filter(i -> i.meter() == Meter.INSTANCE_SECONDS).map(UsageInterval::shape)).containsExactly(SMALL, LARGE);
    }

    @Test
    void memoryIsKeptInMibSecondsAndPublishedInGibSecondsExactly() {
        assertThat(Meter.MEMORY_GIB_SECONDS.published(512)).isEqualByComparingTo("0.5");
        assertThat(Meter.MEMORY_GIB_SECONDS.published(1)).isEqualByComparingTo("0.0009765625");
        assertThat(Meter.VCPU_SECONDS.published(7)).isEqualByComparingTo("7");
    }

    @Test
    void aTotalPastLongIsPublishedExactlyAsAPlainDecimalInThePublishedUnit() {
        BigDecimal pastLong = BigDecimal.valueOf(Long.MAX_VALUE).multiply(BigDecimal.TEN).add(BigDecimal.ONE);

        assertThat(Meter.MEMORY_GIB_SECONDS.published(pastLong).toString()).isEqualTo("90071992547409919.9912109375");
        assertThat(Meter.DISK_GIB_SECONDS.published(BigDecimal.valueOf(3600)).toString()).as("no exponent").isEqualTo("3600");
        assertThat(Meter.MEMORY_GIB_SECONDS.published(BigDecimal.valueOf(1024L * 3600)).toString()).isEqualTo("3600");
        assertThat(Stream.of(Meter.values()).map(Meter::publishedUnit)).containsExactly("s", "vCPU·s", "GiB·s", "GiB·s");
        assertThat(Meter.named("memory.gib.seconds")).contains(Meter.MEMORY_GIB_SECONDS);
        assertThat(Meter.named("instance.seconds:2vcpu-4096mib-20gib")).as("a stored name is not a meter's").isEmpty();
    }

    static Map<Meter, Long> totals(List<UsageInterval> intervals) {
        Map<Meter, Long> totals = new java.util.EnumMap<>(Meter.class);
        for (Meter meter : Meter.values()) {
            totals.put(meter, 0L);
        }
        intervals.forEach(i -> totals.merge(i.meter(), i.quantity(), Long::sum));
        return totals;
    }

    private static MeteredFact f(String incarnation, long seq, LifecycleEventKind event, long at, Shape shape) {
        return Fact.on("h1", incarnation, seq, event, at, shape);
    }

    private static MeteredFact api(long at, Shape shape) {
        return new MeteredFact(MeteredFact.Key.deletedByApiKey(), DELETED, Instant.ofEpochSecond(T0 + at), shape);
    }

    private static final class Fact {
        static MeteredFact on(String host, String incarnation, long seq, LifecycleEventKind event, long at, Shape shape) {
            return new MeteredFact(MeteredFact.Key.observed(host, incarnation, seq), event, Instant.ofEpochSecond(T0 + at), shape);
        }
    }
}
