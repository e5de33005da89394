package io.freehold.bench;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The month close benchmark's tenants and what they pay, written by SQL as the ops API stores them: the API rightly takes
 * no price-list version for an hour that has begun, and these versions are in the past. Every tenant of the log becomes
 * an active tenant on one of three lists — two in EUR at 19 % tax, one in USD at 7.25 % — each pricing the four
 * meters (and, on the first, one flavor's {@code instance.seconds} apart); the first list raises its prices by a second
 * version halfway through the usage, so its tenants' invoices have a line per meter and version. Every fifth tenant has
 * a discount (5, 10, 12.5 or 20 %).
 */
final class PricedTenants {

    private static final String[] DISCOUNTS = {"5", "10", "12.5", "20"};

    /** One version of a list: from {@code from} on, these prices per published unit and this tax rate. */
    private record Version(int version, Instant from, String taxRate, Map<String, String> unitPrices) {
    }

    /** A list as the ops API would have created it, under a fixed id of the API's shape ({@code pl-} and 26 characters). */
    private record PriceList(String id, String name, String currency, List<Version> versions) {
    }

    private PricedTenants() {
    }

    /**
     * Writes the tenants, the lists and the assignments.
     *
     * @param usageStart the log's first day: the lists' first versions take effect long before it, the raise halfway
     *                   between it and {@code usageEnd}
     */
    static void write(JdbcClient jdbc, SyntheticUsageLog log, Instant usageStart, Instant usageEnd, Instant now) {
        Instant longBefore = usageStart.minus(Duration.ofDays(90));
        Instant halfway = usageStart.plus(Duration.between(usageStart, usageEnd).dividedBy(2)).truncatedTo(ChronoUnit.HOURS);
        List<PriceList> lists = List.of(
                new PriceList("pl-00000000000000000000000001", "standard-eur", "EUR", List.of(
                        new Version(1, longBefore, "0.19", Map.of("vcpu.seconds", "0.000008", "memory.gib.seconds", "0.000001",
                                "disk.gib.seconds", "0.00000003", "instance.seconds", "0.000002", "instance.seconds:1vcpu-1024mib-10gib", "0")),
                        new Version(2, halfway, "0.19", Map.of("vcpu.seconds", "0.0000088", "memory.gib.seconds", "0.0000011",
                                "disk.gib.seconds", "0.000000033", "instance.seconds", "0.0000022", "instance.seconds:1vcpu-1024mib-10gib", "0")))),
                new PriceList("pl-00000000000000000000000002", "partner-eur", "EUR", List.of(
                        new Version(1, longBefore, "0.19", Map.of("vcpu.seconds", "0.0000065", "memory.gib.seconds", "0.0000008",
                                "disk.gib.seconds", "0.000000025", "instance.seconds", "0.0000015")))),
                new PriceList("pl-00000000000000000000000003", "standard-usd", "USD", List.of(
                        new Version(1, longBefore, "0.0725", Map.of("vcpu.seconds", "0.0000095", "memory.gib.seconds", "0.0000012",
                                "disk.gib.seconds", "0.000000035", "instance.seconds", "0.0000024")))));
        OffsetDateTime at = now.atOffset(ZoneOffset.UTC);
        for (PriceList list : lists) {
            jdbc.sql("insert into price_list (id, name, currency, is_default, created_at) values (:id, :name, :currency, false, :at)")
                    .param("id", list.id()).param("name", list.name()).param("currency", list.currency()).param("at", at).update();
            for (Version version : list.versions()) {
                jdbc.sql("""
                                insert into price_list_version (price_list_id, version, effective_from, tax_rate, created_at)
                                values (:list, :version, :from, :tax, :at)
                                """)
                        .param("list", list.id()).param("version", version.version()).param("from", version.from().atOffset(ZoneOffset.UTC))
                        .param("tax", new BigDecimal(version.taxRate())).param("at", at).update();
                version.unitPrices().forEach((meter, price) -> jdbc.sql("""
                                insert into price_list_unit_price (price_list_id, version, meter, unit_price) values (:list, :version, :meter, :price)
                                """)
                        .param("list", list.id()).param("version", version.version()).param("meter", meter).param("price", new BigDecimal(price))
                        .update());
            }
        }
        List<String> tenants = log.tenantIds();
        for (int t = 0; t < tenants.size(); t++) {
            jdbc.sql("""
                            insert into tenant (id, name, slug, status, created_at, updated_at)
                            values (:id, :name, :slug, 'active', :at, :at)
                            """)
                    .param("id", tenants.get(t)).param("name", "Bench tenant " + t).param("slug", "bench-" + t).param("at", at).update();
            jdbc.sql("""
                            insert into tenant_pricing (tenant_id, price_list_id, discount_percent, updated_at)
                            values (:tenant, :list, :discount, :at)
                            """)
                    .param("tenant", tenants.get(t)).param("list", lists.get(t % lists.size()).id())
                    .param("discount", new BigDecimal(t % 5 == 0 ? DISCOUNTS[t / 5 % DISCOUNTS.length] : "0")).param("at", at).update();
        }
    }
}
