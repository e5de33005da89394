package io.freehold.controlplane.catalog;

import static io.freehold.controlplane.platform.db.SqlTime.instant;
import static io.freehold.controlplane.platform.db.SqlTime.utc;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import io.freehold.controlplane.platform.web.PageRequest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Price lists, their immutable versions and the tenants' assignments (V17). */
@Repository
class PriceListStore {

    private final JdbcClient jdbc;

    PriceListStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** @return false when the name is taken */
    boolean insert(String id, String name, String currency, Instant now) {
        return jdbc.sql("""
                        insert into price_list (id, name, currency, is_default, created_at) values (:id, :name, :currency, false, :now)
                        on conflict (name) do nothing
                        """)
                .param("id", id).param("name", name).param("currency", currency).param("now", utc(now))
                .update() == 1;
    }

    /**
     * Makes this list the default and the former one no longer, in the caller's transaction. The lock serialises two
     * operators doing it at once, which the one-default index would otherwise refuse with an error.
     */
    void makeDefault(String id) {
        jdbc.sql("select 1 from (select pg_advisory_xact_lock(hashtext('price_list_default'))) locked").query(Integer.class).single();
        jdbc.sql("update price_list set is_default = false where is_default and id <> :id").param("id", id).update();
        jdbc.sql("update price_list set is_default = true where id = :id").param("id", id).update();
    }

    void clearDefault(String id) {
        jdbc.sql("update price_list set is_default = false where id = :id").param("id", id).update();
    }

    /** Locks the list, so that versions are numbered and dated one after another. */
    Optional<PriceList> lock(String id) {
        return jdbc.sql("select id from price_list where id = :id for update").param("id", id).query(String.class).optional()
                .flatMap(this::find);
    }

    Optional<PriceList> find(String id) {
        return jdbc.sql("select id, name, currency, is_default, created_at from price_list where id = :id").param("id", id)
                .query((rs, n) -> new PriceList(rs.getString("id"), rs.getString("name"), rs.getString("currency"), rs.getBoolean("is_default"),
                        instant(rs, "created_at"), versions(rs.getString("id"))))
                .optional();
    }

    Optional<String> defaultList() {
        return jdbc.sql("select id from price_list where is_default").query(String.class).optional();
    }

    List<PriceList> list(PageRequest page) {
        List<String> ids = jdbc.sql("""
                        select id from price_list where (cast(:after as text) is null or id > :after) order by id limit :limit
                        """)
                .param("after", page.after()).param("limit", page.fetchSize())
                .query(String.class).list();
        List<PriceList> lists = new ArrayList<>();
        ids.forEach(id -> find(id).ifPresent(lists::add));
        return lists;
    }

    void insertVersion(String priceListId, int version, Instant effectiveFrom, BigDecimal taxRate, Map<String, BigDecimal> unitPrices,
                       Instant now) {
        jdbc.sql("""
                        insert into price_list_version (price_list_id, version, effective_from, tax_rate, created_at)
                        values (:list, :version, :from, :tax, :now)
                        """)
                .param("list", priceListId).param("version", version).param("from", utc(effectiveFrom)).param("tax", taxRate)
                .param("now", utc(now))
                .update();
        jdbc.sql("""
                        insert into price_list_unit_price (price_list_id, version, meter, unit_price)
                        select :list, :version, meter, price from unnest(:meters, :prices) as priced(meter, price)
                        """)
                .param("list", priceListId).param("version", version)
                .param("meters", unitPrices.keySet().toArray(String[]::new))
                .param("prices", unitPrices.values().toArray(BigDecimal[]::new))
                .update();
    }

    private List<PriceList.Version> versions(String priceListId) {
        Map<Integer, Map<String, String>> prices = new TreeMap<>();
        jdbc.sql("select version, meter, unit_price from price_list_unit_price where price_list_id = :list order by version, meter")
                .param("list", priceListId)
                .query((rs, n) -> prices.computeIfAbsent(rs.getInt("version"), v -> new LinkedHashMap<>())
                        .put(rs.getString("meter"), rs.getBigDecimal("unit_price").stripTrailingZeros().toPlainString()))
                .list();
        return jdbc.sql("""
                        select version, effective_from, tax_rate, created_at from price_list_version
                         where price_list_id = :list order by version
                        """)
                .param("list", priceListId)
                .query((rs, n) -> new PriceList.Version(rs.getInt("version"), instant(rs, "effective_from"),
                        rs.getBigDecimal("tax_rate").stripTrailingZeros().toPlainString(), prices.getOrDefault(rs.getInt("version"), Map.of()),
                        instant(rs, "created_at")))
                .list();
    }

    Optional<TenantPricing> assignment(String tenantId) {
        return jdbc.sql("select tenant_id, price_list_id, discount_percent, updated_at from tenant_pricing where tenant_id = :tenant")
                .param("tenant", tenantId)
                .query((rs, n) -> new TenantPricing(rs.getString("tenant_id"), rs.getString("price_list_id"), true,
                        rs.getBigDecimal("discount_percent").stripTrailingZeros().toPlainString(), instant(rs, "updated_at")))
                .optional();
    }

    void assign(String tenantId, String priceListId, BigDecimal discountPercent, Instant now) {
        jdbc.sql("""
                        insert into tenant_pricing (tenant_id, price_list_id, discount_percent, updated_at)
                        values (:tenant, :list, :discount, :now)
                        on conflict (tenant_id) do update
                           set price_list_id = excluded.price_list_id, discount_percent = excluded.discount_percent,
                               updated_at = excluded.updated_at
                        """)
                .param("tenant", tenantId).param("list", priceListId).param("discount", discountPercent).param("now", utc(now))
                .update();
    }
}
