package io.freehold.controlplane.billing.decision;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Currency;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One version of a price list: from {@code effectiveFrom} on (until a later version takes over), what one published
 * unit of each meter costs, before discount and tax.
 *
 * @param unitPrices by meter name ({@code vcpu.seconds}, …); an {@code instance.seconds} price may name a flavor
 *                   ({@code instance.seconds:2vcpu-4096mib-20gib}), which wins over the meter's plain price
 * @param taxRate    a fraction: 0.19 for 19 %
 */
public record PriceListVersion(String priceListId, int version, Instant effectiveFrom, Currency currency, BigDecimal taxRate,
                               Map<String, BigDecimal> unitPrices) {

    public PriceListVersion {
        Objects.requireNonNull(priceListId);
        Objects.requireNonNull(effectiveFrom);
        Objects.requireNonNull(currency);
        if (version < 1) {
            throw new IllegalArgumentException("versions count from 1, not " + version);
        }
        if (taxRate.signum() < 0 || taxRate.compareTo(BigDecimal.ONE) >= 0) {
            throw new IllegalArgumentException("a tax rate is a fraction in [0, 1), not " + taxRate);
        }
        unitPrices.forEach((meter, price) -> {
            if (price.signum() < 0) {
                throw new IllegalArgumentException("the price of " + meter + " is negative: " + price);
            }
        });
        unitPrices = Map.copyOf(unitPrices);
    }

    /** The price of one published unit of {@code meter} used as {@code flavor} (empty for meters without one). */
    public Optional<BigDecimal> unitPrice(String meter, String flavor) {
        BigDecimal flavorPrice = flavor.isEmpty() ? null : unitPrices.get(meter + ":" + flavor);
        return Optional.ofNullable(flavorPrice != null ? flavorPrice : unitPrices.get(meter));
    }
}
