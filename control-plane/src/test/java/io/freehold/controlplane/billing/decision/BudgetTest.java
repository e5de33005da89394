package io.freehold.controlplane.billing.decision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.YearMonth;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class BudgetTest {

    private static final Budget HUNDRED_EUROS = new Budget(new BigDecimal("100.00"), Budget.DEFAULT_THRESHOLDS, true);

    static Stream<Arguments> thresholds() {
        return Stream.of(
                Arguments.of("49.99", Set.of(), List.of()),
                Arguments.of("50.00", Set.of(), List.of(50)),
                Arguments.of("50.00", Set.of(50), List.of()),
                Arguments.of("85.00", Set.of(50), List.of(80)),
                Arguments.of("85.00", Set.of(), List.of(50, 80)),
                Arguments.of("100.00", Set.of(50, 80), List.of(100)),
                Arguments.of("250.00", Set.of(50, 80, 100), List.of()));
    }

    @ParameterizedTest(name = "spent {0}, recorded {1} → {2}")
    @MethodSource("thresholds")
    void eachThresholdIsReachedOncePerMonth(String spent, Set<Integer> recorded, List<Integer> reached) {
        assertThat(HUNDRED_EUROS.newlyReached(new BigDecimal(spent), recorded)).isEqualTo(reached);
    }

    @Test
    void createsAreRefusedFromTheWholeAmountOnAndOnlyWhenTheTenantOptedIn() {
        assertThat(HUNDRED_EUROS.refusesCreates(new BigDecimal("99.99"))).isFalse();
        assertThat(HUNDRED_EUROS.refusesCreates(new BigDecimal("100.00"))).isTrue();
        assertThat(new Budget(new BigDecimal("100"), Budget.DEFAULT_THRESHOLDS, false).refusesCreates(new BigDecimal("500"))).isFalse();
    }

    @Test
    void thePercentSpentHasOneDecimalRoundedHalfEven() {
        assertThat(HUNDRED_EUROS.percentSpent(new BigDecimal("101.20"))).isEqualByComparingTo("101.2");
        assertThat(new Budget(new BigDecimal("80.00"), Budget.DEFAULT_THRESHOLDS, false).percentSpent(new BigDecimal("0.09")))
                .as("0.1125 % → 0.1").isEqualByComparingTo("0.1");
        Budget fourHundred = new Budget(new BigDecimal("400"), Budget.DEFAULT_THRESHOLDS, false);
        assertThat(fourHundred.percentSpent(new BigDecimal("1.00"))).as("0.25 % → 0.2, to the even digit").isEqualByComparingTo("0.2");
        assertThat(fourHundred.percentSpent(new BigDecimal("1.40"))).as("0.35 % → 0.4, to the even digit").isEqualByComparingTo("0.4");
    }

    @Test
    void aBudgetIsPositiveWithThresholdsInRange() {
        assertThatThrownBy(() -> new Budget(BigDecimal.ZERO, Budget.DEFAULT_THRESHOLDS, false)).hasMessageContaining("positive");
        assertThatThrownBy(() -> new Budget(BigDecimal.TEN, new TreeSet<>(Set.of(0)), false)).hasMessageContaining("thresholds");
    }

    @Test
    void theForecastAddsTheCurrentRateForTheRestOfTheMonth() {
        BillingPeriod march = new BillingPeriod(YearMonth.of(2026, 3));
        // 2026-03-31T12:00:00Z: 12 hours left; 10.00 spent, 0.50 an hour → 16.00
        assertThat(Forecast.monthEnd(march, Instant.parse("2026-03-31T12:00:00Z"), new BigDecimal("10.00"), new BigDecimal("0.50")))
                .isEqualByComparingTo("16.00");
        assertThat(Forecast.monthEnd(march, Instant.parse("2026-03-31T23:59:24Z"), new BigDecimal("10.00"), new BigDecimal("0.50")))
                .as("36 s left: 0.005 more").isEqualByComparingTo("10.005");
        assertThat(Forecast.monthEnd(march, Instant.parse("2026-03-31T23:59:53Z"), BigDecimal.ZERO, new BigDecimal("0.50")))
                .as("7 s left: 0.000972… (no terminating decimal)").isBetween(new BigDecimal("0.000972"), new BigDecimal("0.000973"));
        assertThatThrownBy(() -> Forecast.monthEnd(march, Instant.parse("2026-04-01T00:00:00Z"), BigDecimal.ONE, BigDecimal.ONE))
                .hasMessageContaining("not in");
    }
}
