package io.freehold.controlplane.billing;

import static io.freehold.controlplane.platform.db.SqlTime.instant;
import static io.freehold.controlplane.platform.db.SqlTime.utc;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.freehold.controlplane.billing.decision.BillingPeriod;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Final invoices, their lines and the lines' resources (V18), and the gapless invoice counter. */
@Repository
class InvoiceStore {

    private final JdbcClient jdbc;

    InvoiceStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Serializes month close of one tenant across replicas until the transaction ends. */
    void lockTenant(String tenantId) {
        jdbc.sql("select pg_advisory_xact_lock(hashtext('invoice'), hashtext(:tenant))").param("tenant", tenantId).query(Object.class).single();
    }

    /**
     * The next invoice number, taken in the caller's transaction: the counter's row stays locked until it ends, and a
     * rollback gives the number back, so numbers have no gaps. Take it last, just before storing the invoice.
     */
    long nextNumber() {
        return jdbc.sql("update invoice_counter set last_number = last_number + 1 returning last_number").query(Long.class).single();
    }

    /** Stores a final invoice, numbered, with its lines and their resources. */
    void insert(Invoice invoice, long number) {
        LocalDate period = invoice.period().atDay(1);
        jdbc.sql("""
                        insert into invoice (tenant_id, period, number, currency, price_list_id, discount_percent, subtotal, tax, total,
                                             finalized_at)
                        values (:tenant, :period, :number, :currency, :priceList, :discount, :subtotal, :tax, :total, :finalizedAt)
                        """)
                .param("tenant", invoice.tenantId()).param("period", period).param("number", number).param("currency", invoice.currency())
                .param("priceList", invoice.priceListId()).param("discount", invoice.discountPercent()).param("subtotal", invoice.subtotal())
                .param("tax", invoice.tax()).param("total", invoice.total()).param("finalizedAt", utc(invoice.finalizedAt()))
                .update();
        int lineNo = 0;
        for (Invoice.Line line : invoice.lines()) {
            lineNo++;
            jdbc.sql("""
                            insert into invoice_line (tenant_id, period, line_no, category, meter, flavor, description, charge_period_start,
                                                      charge_period_end, quantity, unit, unit_price, price_list_version, list_amount,
                                                      discount_percent, amount, tax_rate, tax)
                            values (:tenant, :period, :lineNo, :category, :meter, :flavor, :description, :start, :end, :quantity, :unit,
                                    :unitPrice, :version, :listAmount, :discount, :amount, :taxRate, :tax)
                            """)
                    .param("tenant", invoice.tenantId()).param("period", period).param("lineNo", lineNo).param("category", line.category())
                    .param("meter", line.meter()).param("flavor", line.flavor()).param("description", line.description())
                    .param("start", utc(line.chargePeriodStart())).param("end", utc(line.chargePeriodEnd())).param("quantity", line.quantity())
                    .param("unit", line.unit()).param("unitPrice", line.unitPrice()).param("version", line.priceListVersion())
                    .param("listAmount", line.listAmount()).param("discount", line.discountPercent()).param("amount", line.amount())
                    .param("taxRate", line.taxRate()).param("tax", line.tax())
                    .update();
            insertResources(invoice.tenantId(), period, lineNo, line.resources());
        }
    }

    private void insertResources(String tenantId, LocalDate period, int lineNo, List<Invoice.Resource> resources) {
        if (resources.isEmpty()) {
            return;
        }
        jdbc.sql("""
                        insert into invoice_line_resource (tenant_id, period, line_no, resource_id, resource_name, quantity, amount)
                        select :tenant, :period, :lineNo, r.id, r.name, r.quantity, r.amount
                          from unnest(cast(:ids as text[]), cast(:names as text[]), cast(:quantities as numeric[]), cast(:amounts as numeric[]))
                               as r(id, name, quantity, amount)
                        """)
                .param("tenant", tenantId).param("period", period).param("lineNo", lineNo)
                .param("ids", resources.stream().map(Invoice.Resource::resourceId).toArray(String[]::new))
                .param("names", resources.stream().map(Invoice.Resource::resourceName).toArray(String[]::new))
                .param("quantities", resources.stream().map(Invoice.Resource::quantity).toArray(BigDecimal[]::new))
                .param("amounts", resources.stream().map(Invoice.Resource::amount).toArray(BigDecimal[]::new))
                .update();
    }

    /** The tenant's final invoice of the month, as it was stored. */
    Optional<Invoice> find(String tenantId, YearMonth month) {
        LocalDate period = month.atDay(1);
        Map<Integer, List<Invoice.Resource>> resources = new HashMap<>();
        jdbc.sql("""
                        select line_no, resource_id, resource_name, quantity, amount from invoice_line_resource
                         where tenant_id = :tenant and period = :period order by line_no, resource_id
                        """)
                .param("tenant", tenantId).param("period", period)
                .query(rs -> {
                    resources.computeIfAbsent(rs.getInt("line_no"), n -> new ArrayList<>()).add(new Invoice.Resource(rs.getString("resource_id"),
                            rs.getString("resource_name"), rs.getBigDecimal("quantity"), rs.getBigDecimal("amount")));
                });
        List<Invoice.Line> lines = jdbc.sql("select * from invoice_line where tenant_id = :tenant and period = :period order by line_no")
                .param("tenant", tenantId).param("period", period)
                .query((rs, row) -> new Invoice.Line(rs.getString("category"), rs.getString("meter"), rs.getString("flavor"),
                        rs.getString("description"), instant(rs, "charge_period_start"), instant(rs, "charge_period_end"), rs.getBigDecimal("quantity"),
                        rs.getString("unit"), rs.getBigDecimal("unit_price"), rs.getInt("price_list_version"), rs.getBigDecimal("list_amount"),
                        rs.getBigDecimal("discount_percent"), rs.getBigDecimal("amount"), rs.getBigDecimal("tax_rate"), rs.getBigDecimal("tax"),
                        resources.getOrDefault(rs.getInt("line_no"), List.of())))
                .list();
        return jdbc.sql("select * from invoice where tenant_id = :tenant and period = :period")
                .param("tenant", tenantId).param("period", period)
                .query((rs, row) -> invoice(rs, lines)).optional();
    }

    /** The tenant's final invoices, newest month first, without their lines. */
    List<Invoice> list(String tenantId) {
        return jdbc.sql("select * from invoice where tenant_id = :tenant order by period desc")
                .param("tenant", tenantId).query((rs, row) -> invoice(rs, List.of())).list();
    }

    /** How many tenants' invoices of the month are final. */
    int count(YearMonth month) {
        return jdbc.sql("select count(*) from invoice where period = :period").param("period", month.atDay(1)).query(Integer.class).single();
    }

    /** Whether the tenant's invoice of the month is final. */
    boolean exists(String tenantId, YearMonth month) {
        return jdbc.sql("select exists (select 1 from invoice where tenant_id = :tenant and period = :period)")
                .param("tenant", tenantId).param("period", month.atDay(1)).query(Boolean.class).single();
    }

    /** Invoice numbers as printed: {@code INV-000042}. */
    static String formatted(long number) {
        return "INV-%06d".formatted(number);
    }

    private static Invoice invoice(ResultSet rs, List<Invoice.Line> lines) throws SQLException {
        YearMonth month = YearMonth.from(rs.getObject("period", LocalDate.class));
        BillingPeriod period = new BillingPeriod(month);
        return new Invoice(rs.getString("tenant_id"), month, Invoice.Status.FINAL, formatted(rs.getLong("number")), rs.getString("currency"),
                rs.getString("price_list_id"), rs.getBigDecimal("discount_percent"), period.start(), period.end(), lines,
                rs.getBigDecimal("subtotal"), rs.getBigDecimal("tax"), rs.getBigDecimal("total"), instant(rs, "finalized_at"), instant(rs, "finalized_at"));
    }
}
