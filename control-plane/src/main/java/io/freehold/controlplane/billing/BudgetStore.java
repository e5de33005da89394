package io.freehold.controlplane.billing;

import static io.freehold.controlplane.platform.db.SqlTime.instant;
import static io.freehold.controlplane.platform.db.SqlTime.utc;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.YearMonth;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Tenants' budgets and the thresholds each month has reached (V19). */
@Repository
class BudgetStore {

    private final JdbcClient jdbc;

    BudgetStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    Optional<TenantBudget> find(String tenantId) {
        return jdbc.sql("select tenant_id, amount, currency, thresholds, refuse_creates, updated_at from budget where tenant_id = :tenant")
                .param("tenant", tenantId).query(BudgetStore::budget).optional();
    }

    /** Sets the tenant's budget, replacing the one it had. */
    void put(TenantBudget budget) {
        jdbc.sql("""
                        insert into budget (tenant_id, amount, currency, thresholds, refuse_creates, updated_at)
                        values (:tenant, :amount, :currency, :thresholds, :refuse, :updatedAt)
                        on conflict (tenant_id) do update
                           set amount = excluded.amount, currency = excluded.currency, thresholds = excluded.thresholds,
                               refuse_creates = excluded.refuse_creates, updated_at = excluded.updated_at
                        """)
                .param("tenant", budget.tenantId()).param("amount", budget.amount()).param("currency", budget.currency())
                .param("thresholds", budget.thresholdsPercent().toArray(Integer[]::new)).param("refuse", budget.refuseCreatesWhenSpent())
                .param("updatedAt", utc(budget.updatedAt()))
                .update();
    }

    /** @return whether the tenant had a budget */
    boolean delete(String tenantId) {
        return jdbc.sql("delete from budget where tenant_id = :tenant").param("tenant", tenantId).update() == 1;
    }

    /** Every tenant with a budget, in id order. */
    List<String> tenantsWithBudget() {
        return jdbc.sql("select tenant_id from budget order by tenant_id").query(String.class).list();
    }

    /** The thresholds recorded as reached in the tenant's month. */
    SortedSet<Integer> reached(String tenantId, YearMonth month) {
        return new TreeSet<>(jdbc.sql("select threshold from budget_threshold_reached where tenant_id = :tenant and month = :month")
                .param("tenant", tenantId).param("month", month.atDay(1)).query(Integer.class).list());
    }

    /** Records a threshold reached in the month, unless it was already. @return whether this call recorded it */
    boolean recordReached(String tenantId, YearMonth month, int threshold, Instant reachedAt, BigDecimal spent) {
        return jdbc.sql("""
                        insert into budget_threshold_reached (tenant_id, month, threshold, reached_at, spent)
                        values (:tenant, :month, :threshold, :reachedAt, :spent)
                        on conflict (tenant_id, month, threshold) do nothing
                        """)
                .param("tenant", tenantId).param("month", month.atDay(1)).param("threshold", threshold)
                .param("reachedAt", utc(reachedAt)).param("spent", spent)
                .update() == 1;
    }

    private static TenantBudget budget(ResultSet rs, int row) throws SQLException {
        Integer[] thresholds = (Integer[]) rs.getArray("thresholds").getArray();
        return new TenantBudget(rs.getString("tenant_id"), rs.getBigDecimal("amount"), rs.getString("currency"), Arrays.asList(thresholds),
                rs.getBoolean("refuse_creates"), instant(rs, "updated_at"));
    }
}
