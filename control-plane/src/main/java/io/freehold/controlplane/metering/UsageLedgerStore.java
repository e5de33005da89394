package io.freehold.controlplane.metering;

import static io.freehold.controlplane.platform.db.SqlTime.instant;
import static io.freehold.controlplane.platform.db.SqlTime.utc;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

import io.freehold.controlplane.metering.UsageLedger.LedgerHour;
import io.freehold.controlplane.metering.UsageLedger.TenantPeriod;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Rollups (V13) as billing reads and closes them. */
@Repository
class UsageLedgerStore {

    private final JdbcClient jdbc;

    UsageLedgerStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    List<LedgerHour> hours(String tenantId, Instant from, Instant to) {
        return jdbc.sql("""
                        select resource_id, meter, hour, quantity
                          from usage_hourly
                         where tenant_id = :tenant and hour >= :from and hour < :to and quantity <> 0
                         order by resource_id, meter, hour
                        """)
                .param("tenant", tenantId).param("from", utc(from)).param("to", utc(to))
                .query(UsageLedgerStore::ledgerHour).list();
    }

    List<LedgerHour> adjustmentsRecorded(String tenantId, Instant from, Instant to) {
        return jdbc.sql("""
                        select resource_id, meter, hour, delta as quantity
                          from usage_adjustment
                         where tenant_id = :tenant and recorded_at >= :from and recorded_at < :to
                         order by id
                        """)
                .param("tenant", tenantId).param("from", utc(from)).param("to", utc(to))
                .query(UsageLedgerStore::ledgerHour).list();
    }

    List<String> resourcesOf(String tenantId) {
        return jdbc.sql("select resource_id from usage_resource where tenant_id = :tenant order by resource_id")
                .param("tenant", tenantId).query(String.class).list();
    }

    List<TenantPeriod> unclosedBefore(Instant before, String tenantId) {
        return jdbc.sql("""
                        select distinct tenant_id, date_trunc('month', at at time zone 'UTC') at time zone 'UTC' as period
                          from (select tenant_id, hour as at from usage_hourly where not closed and hour < :before
                                union all
                                select tenant_id, recorded_at from usage_adjustment where recorded_at < :before) unclosed
                         where cast(:tenant as text) is null or tenant_id = :tenant
                         order by 2, 1
                        """)
                .param("before", utc(before)).param("tenant", tenantId)
                .query((rs, row) -> new TenantPeriod(rs.getString("tenant_id"), instant(rs, "period"))).list();
    }

    int close(String tenantId, Instant from, Instant to, Instant now) {
        // Exclusive against every recompute of the tenant's instances (UsageRollupStore.lockTenantsShared).
        jdbc.sql("select pg_advisory_xact_lock(hashtext('usage_closing'), hashtext(:tenant))").param("tenant", tenantId)
                .query(Object.class).single();
        jdbc.sql("""
                        insert into usage_closed (tenant_id, closed_before) values (:tenant, :to)
                        on conflict (tenant_id) do update set closed_before = greatest(usage_closed.closed_before, excluded.closed_before)
                        """)
                .param("tenant", tenantId).param("to", utc(to)).update();
        return jdbc.sql("""
                        update usage_hourly set closed = true, closed_at = :now
                         where tenant_id = :tenant and hour >= :from and hour < :to and not closed
                        """)
                .param("tenant", tenantId).param("from", utc(from)).param("to", utc(to)).param("now", utc(now))
                .update();
    }

    private static LedgerHour ledgerHour(ResultSet rs, int row) throws SQLException {
        return new LedgerHour(rs.getString("resource_id"), rs.getString("meter"), instant(rs, "hour"), rs.getLong("quantity"));
    }
}
