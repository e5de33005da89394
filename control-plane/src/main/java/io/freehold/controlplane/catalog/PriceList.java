package io.freehold.controlplane.catalog;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A price list as operators see it, with its versions, oldest first. Prices and rates are decimal strings, exact as
 * written (never binary floating point).
 *
 * @param isDefault the list every tenant without an assignment pays
 */
public record PriceList(String id, String name, String currency, boolean isDefault, Instant createdAt, List<Version> versions) {

    static final String ID_PREFIX = "pl";

    public PriceList {
        versions = List.copyOf(versions);
    }

    /**
     * One version: from {@code effectiveFrom} (on the hour) until the next version's, what a published unit of each
     * meter costs, before discount and tax.
     *
     * @param taxRate a fraction: "0.19" for 19 %
     */
    public record Version(int version, Instant effectiveFrom, String taxRate, Map<String, String> unitPrices, Instant createdAt) {

        public Version {
            unitPrices = Map.copyOf(unitPrices);
        }
    }
}
