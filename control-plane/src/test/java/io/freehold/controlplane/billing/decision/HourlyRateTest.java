package io.freehold.controlplane.billing.decision;

import static io.freehold.controlplane.billing.decision.RatingTest.book;
import static io.freehold.controlplane.billing.decision.RatingTest.version;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Currency;
import java.util.List;
import java.util.Map;

import io.freehold.controlplane.billing.decision.HourlyRate.PricedInstance;
import org.junit.jupiter.api.Test;

class HourlyRateTest {

    private static final Currency EUR = Currency.getInstance("EUR");
    private static final PriceListVersion PRICES = version(1, "2026-01-01T00:00:00Z", EUR, "0.19",
            Map.of("instance.seconds:2vcpu-4096mib-20gib", "0.0001", "vcpu.seconds", "0.00001", "memory.gib.seconds", "0.000002",
                    "disk.gib.seconds", "0.0000001"));
    private static final InstanceEstimate.Shape LARGE = new InstanceEstimate.Shape(2, 4096, 20, "2vcpu-4096mib-20gib");
    private static final InstanceEstimate.Shape SMALL = new InstanceEstimate.Shape(1, 1024, 10, "1vcpu-1024mib-10gib");
    private static final Instant AT = Instant.parse("2026-03-10T08:30:00Z");

    @Test
    void aRunningInstanceCostsItsHourRunningAndAStoppedOneItsDiskAloneAfterTheDiscount() {
        // LARGE running: 3600 × 0.00013 = 0.468; SMALL stopped: 3600 × 10 × 0.0000001 = 0.0036; both less 25 %
        assertThat(HourlyRate.of(book("25", PRICES), AT, List.of(new PricedInstance(LARGE, true), new PricedInstance(SMALL, false))))
                .isEqualByComparingTo("0.3537");
        assertThat(HourlyRate.of(book("0", PRICES), AT, List.of(new PricedInstance(SMALL, true))))
                .as("3600 × (0.00001 + 0.000002 + 10 × 0.0000001), no price for its flavor").isEqualByComparingTo("0.0468");
    }

    @Test
    void theRateIsAtThePricesInForceThenAndNothingRunningCostsNothing() {
        PriceListVersion dearer = version(2, "2026-03-10T08:00:00Z", EUR, "0.19", Map.of("disk.gib.seconds", "0.000001"));

        assertThat(HourlyRate.of(book("0", PRICES, dearer), AT, List.of(new PricedInstance(SMALL, false))))
                .as("3600 × 10 × 0.000001 from version 2 on").isEqualByComparingTo("0.036");
        assertThat(HourlyRate.of(book("0", PRICES, dearer), Instant.parse("2026-03-10T07:59:59Z"), List.of(new PricedInstance(SMALL, false))))
                .as("version 1 a second before").isEqualByComparingTo("0.0036");
        assertThat(HourlyRate.of(book("0", PRICES), AT, List.of())).isZero();
    }
}
