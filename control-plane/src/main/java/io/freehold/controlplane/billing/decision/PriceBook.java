package io.freehold.controlplane.billing.decision;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Comparator;
import java.util.Currency;
import java.util.List;
import java.util.Optional;

/**
 * What a tenant pays: the versions of its price list (its own, or the default) and its discount.
 *
 * @param discountPercent off every usage and adjustment line, 0 to 100
 */
public record PriceBook(List<PriceListVersion> versions, BigDecimal discountPercent) {

    private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

    public PriceBook {
        if (versions.isEmpty()) {
            throw new IllegalArgumentException("a price book has at least one version");
        }
        versions = versions.stream().sorted(Comparator.comparing(PriceListVersion::effectiveFrom)).toList();
        Currency currency = versions.get(0).currency();
        if (versions.stream().anyMatch(version -> !version.currency().equals(currency))) {
            throw new IllegalArgumentException("one price list, one currency: " + versions);
        }
        if (discountPercent.signum() < 0 || discountPercent.compareTo(HUNDRED) > 0) {
            throw new IllegalArgumentException("a discount is 0 to 100 %, not " + discountPercent);
        }
    }

    public Currency currency() {
        return versions.get(0).currency();
    }

    /** The version in force at {@code instant}: the latest that took effect at or before it. */
    public Optional<PriceListVersion> at(Instant instant) {
        PriceListVersion found = null;
        for (PriceListVersion version : versions) {
            if (!version.effectiveFrom().isAfter(instant)) {
                found = version;
            }
        }
        return Optional.ofNullable(found);
    }

    /** What is left to pay of a list amount after the discount: 1 − discount / 100. */
    BigDecimal payableShare() {
        return BigDecimal.ONE.subtract(discountPercent.movePointLeft(2));
    }
}
