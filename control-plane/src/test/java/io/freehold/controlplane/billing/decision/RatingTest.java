package io.freehold.controlplane.billing.decision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.YearMonth;
import java.util.Currency;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Rating's rules (docs/billing.md), one row per rule. */
class RatingTest {

    private static final BillingPeriod MARCH = new BillingPeriod(YearMonth.of(2026, 3));
    private static final Currency EUR = Currency.getInstance("EUR");
    private static final PriceListVersion V1 = version(1, "2026-01-01T00:00:00Z", EUR, "0.19",
            Map.of("vcpu.seconds", "0.00001", "memory.gib.seconds", "0.000002", "instance.seconds:2vcpu-4096mib-20gib", "0.0001",
                    "instance.seconds", "0.00005"));
    private static final PriceListVersion V2 = version(2, "2026-03-15T00:00:00Z", EUR, "0.20", Map.of("vcpu.seconds", "0.00002"));

    static Stream<Arguments> lines() {
        return Stream.of(
                Arguments.of("an hour of one vCPU: 0.036 rounds half-even to 0.04, tax 19 % of 0.04 = 0.0076 → 0.01",
                        book("0", V1), List.of(hour("i-1", "vcpu.seconds", "", "2026-03-02T10:00:00Z", "3600")),
                        List.of(line("vcpu.seconds", "", "3600", "0.00001", 1, "0.04", "0.04", "0.01"))),
                Arguments.of("half-even: 0.125 → 0.12 (to the even digit), and its tax 0.0228 → 0.02",
                        book("0", V1), List.of(hour("i-1", "vcpu.seconds", "", "2026-03-02T10:00:00Z", "12500")),
                        List.of(line("vcpu.seconds", "", "12500", "0.00001", 1, "0.12", "0.12", "0.02"))),
                Arguments.of("half-even: 0.135 → 0.14",
                        book("0", V1), List.of(hour("i-1", "vcpu.seconds", "", "2026-03-02T10:00:00Z", "13500")),
                        List.of(line("vcpu.seconds", "", "13500", "0.00001", 1, "0.14", "0.14", "0.03"))),
                Arguments.of("hours of one line add up before the one rounding: 3 × 0.0036 = 0.0108 → 0.01, not 3 × 0.00",
                        book("0", V1), List.of(hour("i-1", "vcpu.seconds", "", "2026-03-02T10:00:00Z", "360"),
                                hour("i-1", "vcpu.seconds", "", "2026-03-02T11:00:00Z", "360"),
                                hour("i-2", "vcpu.seconds", "", "2026-03-02T11:00:00Z", "360")),
                        List.of(line("vcpu.seconds", "", "1080", "0.00001", 1, "0.01", "0.01", "0.00"))),
                Arguments.of("a 10 % discount applies to the exact list amount: 1.005 × 0.9 = 0.9045 → 0.90 (list 1.005 → 1.00)",
                        book("10", V1), List.of(hour("i-1", "vcpu.seconds", "", "2026-03-02T10:00:00Z", "100500")),
                        List.of(line("vcpu.seconds", "", "100500", "0.00001", 1, "1.00", "0.90", "0.17"))),
                Arguments.of("a flavor's own price wins over the meter's; another flavor takes the meter's",
                        book("0", V1), List.of(hour("i-1", "instance.seconds", "2vcpu-4096mib-20gib", "2026-03-02T10:00:00Z", "3600"),
                                hour("i-2", "instance.seconds", "1vcpu-256mib-1gib", "2026-03-02T10:00:00Z", "3600")),
                        List.of(line("instance.seconds", "1vcpu-256mib-1gib", "3600", "0.00005", 1, "0.18", "0.18", "0.03"),
                                line("instance.seconds", "2vcpu-4096mib-20gib", "3600", "0.0001", 1, "0.36", "0.36", "0.07"))),
                Arguments.of("a new version from the 15th: hours before it at v1, from it at v2 (price and tax rate)",
                        book("0", V1, V2), List.of(hour("i-1", "vcpu.seconds", "", "2026-03-14T23:00:00Z", "3600"),
                                hour("i-1", "vcpu.seconds", "", "2026-03-15T00:00:00Z", "3600")),
                        List.of(line("vcpu.seconds", "", "3600", "0.00001", 1, "0.04", "0.04", "0.01"),
                                line("vcpu.seconds", "", "3600", "0.00002", 2, "0.07", "0.07", "0.01"))),
                Arguments.of("a meter the version does not price costs nothing and says so",
                        book("0", V1, V2), List.of(hour("i-1", "memory.gib.seconds", "", "2026-03-20T10:00:00Z", "3600")),
                        List.of(line("memory.gib.seconds", "", "3600", "0", 0, "0.00", "0.00", "0.00"))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("lines")
    void usageLines(String rule, PriceBook book, List<UsageHour> usage, List<Expected> expected) {
        RatedInvoice invoice = Rating.rate(MARCH, book, usage, List.of(), List.of());

        assertThat(invoice.lines().stream().map(Expected::of).toList()).isEqualTo(expected);
        assertThat(invoice.subtotal()).isEqualTo(sum(invoice.lines().stream().map(InvoiceLine::amount)));
        assertThat(invoice.tax()).isEqualTo(sum(invoice.lines().stream().map(InvoiceLine::tax)));
        assertThat(invoice.total()).isEqualTo(invoice.subtotal().add(invoice.tax()));
    }

    @Test
    void aLinesDetailsShareItsRoundedAmountByLargestRemainderAndAddUpToIt() {
        // Exact shares 0.005, 0.005, 0.008: line 0.018 → 0.02; floors 0.00 each, two extra cents to the largest remainders.
        RatedInvoice invoice = Rating.rate(MARCH, book("0", V1), List.of(hour("i-a", "vcpu.seconds", "", "2026-03-02T10:00:00Z", "500"),
                hour("i-b", "vcpu.seconds", "", "2026-03-02T10:00:00Z", "500"), hour("i-c", "vcpu.seconds", "", "2026-03-02T10:00:00Z", "800")),
                List.of(), List.of());

        InvoiceLine line = invoice.lines().get(0);
        assertThat(line.amount()).isEqualTo("0.02");
        assertThat(line.details()).extracting(InvoiceLine.LineDetail::resourceId, detail -> detail.amount().toPlainString())
                .containsExactly(tuple("i-a", "0.01"), tuple("i-b", "0.00"),
                        tuple("i-c", "0.01"));
        assertThat(line.chargePeriodStart()).isEqualTo("2026-03-02T10:00:00Z");
        assertThat(line.chargePeriodEnd()).isEqualTo("2026-03-02T11:00:00Z");
    }

    @Test
    void adjustmentsArePricedAsTheirHourWasAndCreditsAreNegativeLinesTaxedWhenIssued() {
        RatedInvoice invoice = Rating.rate(MARCH, book("0", V1, V2),
                List.of(hour("i-1", "vcpu.seconds", "", "2026-03-20T10:00:00Z", "3600")),
                List.of(hour("i-1", "vcpu.seconds", "", "2026-02-27T10:00:00Z", "-1800")),
                List.of(new Credit("CN-1", new BigDecimal("0.50"), "outage on the 3rd", Instant.parse("2026-03-20T12:00:00Z"))));

        assertThat(invoice.lines()).extracting(InvoiceLine::category, InvoiceLine::priceListVersion, line -> line.amount().toPlainString(),
                line -> line.tax().toPlainString()).containsExactly(
                tuple(ChargeCategory.USAGE, 2, "0.07", "0.01"),
                tuple(ChargeCategory.ADJUSTMENT, 1, "-0.02", "0.00"),
                tuple(ChargeCategory.CREDIT, 0, "-0.50", "-0.10"));
        assertThat(invoice.subtotal()).isEqualTo("-0.45");
        assertThat(invoice.tax()).isEqualTo("-0.09");
        assertThat(invoice.total()).isEqualTo("-0.54");
    }

    @Test
    void currenciesRoundToTheirOwnMinorUnit() {
        PriceListVersion yen = version(1, "2026-01-01T00:00:00Z", Currency.getInstance("JPY"), "0.10", Map.of("vcpu.seconds", "0.001"));
        PriceListVersion dinar = version(1, "2026-01-01T00:00:00Z", Currency.getInstance("KWD"), "0", Map.of("vcpu.seconds", "0.0000001"));

        assertThat(Rating.rate(MARCH, book("0", yen), List.of(hour("i-1", "vcpu.seconds", "", "2026-03-02T10:00:00Z", "2500")), List.of(),
                List.of()).total()).as("2.5 yen → 2, tax 0.2 → 0").isEqualTo("2");
        assertThat(Rating.rate(MARCH, book("0", dinar), List.of(hour("i-1", "vcpu.seconds", "", "2026-03-02T10:00:00Z", "36005")),
                List.of(), List.of()).total()).as("0.0036005 dinar → 0.004").isEqualTo("0.004");
    }

    @Test
    void aPriceBookRefusesMixedCurrenciesAndDiscountsOutOfRange() {
        PriceListVersion dollars = version(2, "2026-04-01T00:00:00Z", Currency.getInstance("USD"), "0", Map.of());
        assertThatThrownBy(() -> new PriceBook(List.of(V1, dollars), BigDecimal.ZERO)).hasMessageContaining("one currency");
        assertThatThrownBy(() -> new PriceBook(List.of(V1), new BigDecimal("100.5"))).hasMessageContaining("discount");
        assertThatThrownBy(() -> version(1, "2026-01-01T00:00:00Z", EUR, "1", Map.of())).hasMessageContaining("tax rate");
    }

    /** A line as the table states it. */
    record Expected(String meter, String flavor, String quantity, String unitPrice, int version, String listAmount, String amount,
                    String tax) {

        static Expected of(InvoiceLine line) {
            return new Expected(line.meter(), line.flavor(), line.quantity().toPlainString(), line.unitPrice().stripTrailingZeros().toPlainString(),
                    line.priceListVersion(), line.listAmount().toPlainString(), line.amount().toPlainString(), line.tax().toPlainString());
        }
    }

    private static Expected line(String meter, String flavor, String quantity, String unitPrice, int version, String listAmount,
                                 String amount, String tax) {
        return new Expected(meter, flavor, quantity, unitPrice, version, listAmount, amount, tax);
    }

    static PriceListVersion version(int number, String from, Currency currency, String taxRate, Map<String, String> prices) {
        Map<String, BigDecimal> unitPrices = new HashMap<>();
        prices.forEach((meter, price) -> unitPrices.put(meter, new BigDecimal(price)));
        return new PriceListVersion("pl-1", number, Instant.parse(from), currency, new BigDecimal(taxRate), unitPrices);
    }

    static PriceBook book(String discountPercent, PriceListVersion... versions) {
        return new PriceBook(List.of(versions), new BigDecimal(discountPercent));
    }

    static UsageHour hour(String resource, String meter, String flavor, String hour, String quantity) {
        return new UsageHour(resource, meter, flavor, Instant.parse(hour), new BigDecimal(quantity), "unit");
    }

    private static BigDecimal sum(Stream<BigDecimal> amounts) {
        return amounts.reduce(new BigDecimal("0.00"), BigDecimal::add);
    }
}
