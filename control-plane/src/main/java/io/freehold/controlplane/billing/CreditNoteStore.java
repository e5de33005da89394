package io.freehold.controlplane.billing;

import static io.freehold.controlplane.platform.db.SqlTime.instant;
import static io.freehold.controlplane.platform.db.SqlTime.utc;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Credit notes (V18): append-only. */
@Repository
class CreditNoteStore {

    private final JdbcClient jdbc;

    CreditNoteStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void insert(CreditNote note) {
        jdbc.sql("""
                        insert into credit_note (id, tenant_id, amount, reason, issued_at, issued_by)
                        values (:id, :tenant, :amount, :reason, :issuedAt, :issuedBy)
                        """)
                .param("id", note.id()).param("tenant", note.tenantId()).param("amount", note.amount()).param("reason", note.reason())
                .param("issuedAt", utc(note.issuedAt())).param("issuedBy", note.issuedBy())
                .update();
    }

    /** The tenant's credit notes issued in [from, to), oldest first. */
    List<CreditNote> issued(String tenantId, Instant from, Instant to) {
        return jdbc.sql("""
                        select id, tenant_id, amount, reason, issued_at, issued_by from credit_note
                         where tenant_id = :tenant and issued_at >= :from and issued_at < :to
                         order by issued_at, id
                        """)
                .param("tenant", tenantId).param("from", utc(from)).param("to", utc(to))
                .query(CreditNoteStore::map).list();
    }

    /** All the tenant's credit notes, newest first. */
    List<CreditNote> all(String tenantId) {
        return jdbc.sql("select id, tenant_id, amount, reason, issued_at, issued_by from credit_note where tenant_id = :tenant order by issued_at desc, id")
                .param("tenant", tenantId).query(CreditNoteStore::map).list();
    }

    /**
     * The tenants (or the one, when {@code tenantId} is not null) with a credit note issued before {@code before}, with
     * the first instant of each month they had one in.
     */
    List<TenantMonth> issuedBefore(Instant before, String tenantId) {
        return jdbc.sql("""
                        select distinct tenant_id, date_trunc('month', issued_at at time zone 'UTC') at time zone 'UTC' as period
                          from credit_note
                         where issued_at < :before and (cast(:tenant as text) is null or tenant_id = :tenant)
                        """)
                .param("before", utc(before)).param("tenant", tenantId)
                .query((rs, row) -> new TenantMonth(rs.getString("tenant_id"), instant(rs, "period"))).list();
    }

    record TenantMonth(String tenantId, Instant periodStart) {
    }

    private static CreditNote map(ResultSet rs, int row) throws SQLException {
        return new CreditNote(rs.getString("id"), rs.getString("tenant_id"), rs.getBigDecimal("amount"),
                rs.getString("reason"), instant(rs, "issued_at"), rs.getString("issued_by"));
    }
}
