package io.freehold.controlplane.billing.decision;

import static io.freehold.controlplane.billing.decision.RatingTest.book;
import static io.freehold.controlplane.billing.decision.RatingTest.hour;
import static io.freehold.controlplane.billing.decision.RatingTest.version;
import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.YearMonth;
import java.util.Currency;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class InstanceEstimateTest {

    private static final BillingPeriod MARCH = new BillingPeriod(YearMonth.of(2026, 3));
    private static final PriceListVersion PRICES = version(1, "2026-01-01T00:00:00Z", Currency.getInstance("EUR"), "0.19",
            Map.of("instance.seconds:2vcpu-4096mib-20gib", "0.0001", "vcpu.seconds", "0.00001", "memory.gib.seconds", "0.000002",
                    "disk.gib.seconds", "0.0000001"));
    private static final InstanceEstimate.Shape SHAPE = new InstanceEstimate.Shape(2, 4096, 20, "2vcpu-4096mib-20gib");

    @Test
    void anHourRunningIsEveryMetersPriceTimesTheShapeTimes3600AndAMonthIsThatTimesItsHours() {
        InstanceEstimate estimate = InstanceEstimate.of(book("0", PRICES), Instant.parse("2026-03-10T08:00:00Z"), SHAPE, MARCH);

        // 3600 × (0.0001 + 2 × 0.00001 + 4 × 0.000002 + 20 × 0.0000001) = 3600 × 0.00013 = 0.468
        assertThat(estimate.perHourRunning()).isEqualByComparingTo("0.468");
        assertThat(estimate.perHourStopped()).as("the disk alone").isEqualByComparingTo("0.0072");
        assertThat(estimate.perPeriodRunning()).as("744 hours in March").isEqualByComparingTo("348.192");
        assertThat(estimate.unpricedMeters()).isEmpty();
        assertThat(InstanceEstimate.of(book("25", PRICES), Instant.parse("2026-03-10T08:00:00Z"), SHAPE, MARCH).perHourRunning())
                .as("after a 25 % discount").isEqualByComparingTo("0.351");
    }

    @Test
    void theEstimateIsWhatRatingBillsForTheSameHourRunning() {
        PriceBook book = book("0", PRICES);
        String hour = "2026-03-10T08:00:00Z";
        RatedInvoice billed = Rating.rate(MARCH, book, List.of(hour("i-1", "instance.seconds", SHAPE.flavor(), hour, "3600"),
                hour("i-1", "vcpu.seconds", "", hour, "7200"), hour("i-1", "memory.gib.seconds", "", hour, "14400"),
                hour("i-1", "disk.gib.seconds", "", hour, "72000")), List.of(), List.of());

        BigDecimal estimated = InstanceEstimate.of(book, Instant.parse(hour), SHAPE, MARCH).perHourRunning();
        assertThat(billed.subtotal()).as("billed 0.36 + 0.07 + 0.03 + 0.01; estimated %s", estimated).isEqualByComparingTo("0.47");
        assertThat(billed.subtotal().subtract(estimated).abs()).as("within the rounding of its four lines")
                .isLessThanOrEqualTo(new BigDecimal("0.02"));
    }

    @Test
    void metersWithoutAPriceAreNamed() {
        PriceListVersion partial = version(1, "2026-01-01T00:00:00Z", Currency.getInstance("EUR"), "0", Map.of("vcpu.seconds", "0.00001"));
        assertThat(InstanceEstimate.of(book("0", partial), Instant.parse("2026-03-10T08:00:00Z"), SHAPE, MARCH).unpricedMeters())
                .containsExactly("instance.seconds", "memory.gib.seconds", "disk.gib.seconds");
    }
}
