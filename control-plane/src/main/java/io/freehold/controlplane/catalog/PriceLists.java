package io.freehold.controlplane.catalog;

import java.math.BigDecimal;
import java.util.Currency;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import io.freehold.controlplane.billing.decision.PriceBook;
import io.freehold.controlplane.billing.decision.PriceListVersion;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/** What billing reads of the catalog's prices: the price book a tenant pays by. */
@Component
public class PriceLists {

    private final PriceListStore lists;

    PriceLists(PriceListStore lists) {
        this.lists = lists;
    }

    /** The tenant's list (or the default) with its discount; empty when it pays by no list with a version yet. */
    @Transactional(readOnly = true)
    public Optional<PriceBook> bookFor(String tenantId) {
        Optional<TenantPricing> assignment = lists.assignment(tenantId);
        Optional<PriceList> list = assignment.map(TenantPricing::priceListId).or(lists::defaultList).flatMap(lists::find);
        if (list.isEmpty() || list.get().versions().isEmpty()) {
            return Optional.empty();
        }
        Currency currency = Currency.getInstance(list.get().currency());
        List<PriceListVersion> versions = list.get().versions().stream().map(version -> {
            Map<String, BigDecimal> prices = new TreeMap<>();
            version.unitPrices().forEach((meter, price) -> prices.put(meter, new BigDecimal(price)));
            return new PriceListVersion(list.get().id(), version.version(), version.effectiveFrom(), currency,
                    new BigDecimal(version.taxRate()), prices);
        }).toList();
        return Optional.of(new PriceBook(versions, new BigDecimal(assignment.map(TenantPricing::discountPercent).orElse("0"))));
    }
}
