package io.freehold.controlplane.metering;

import static io.freehold.controlplane.platform.db.SqlTime.instant;
import static io.freehold.controlplane.platform.db.SqlTime.utc;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Sums a tenant's hourly usage rows and their adjustments (V13) into the periods of a usage report. */
@Repository
class UsageReportStore {

    private final JdbcClient jdbc;

    UsageReportStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * A sum over one period, in the meter's stored unit.
     *
     * @param resourceId null for the tenant's total
     * @param meterName  the meter's name, without the flavor
     * @param flavor     the flavor of {@code instance.seconds}; null for the other meters
     * @param period     the UTC calendar period's first instant (before clipping to the query's range)
     */
    record Sum(String resourceId, String meterName, String flavor, Instant period, BigDecimal quantity) {

        boolean isTotal() {
            return resourceId == null;
        }
    }

    /**
     * The query's hours, each its stored quantity plus its adjustments, summed per period, resource and stored meter
     * and per period and stored meter over the tenant, in one statement so that the totals are always the items'
     * sums. Sums of zero are left out. Ordered by period, resource (totals first) and stored meter, which orders by
     * meter name and flavor: no meter's name is a prefix of another's.
     */
    List<Sum> sums(UsageQuery query) {
        return jdbc.sql("""
                        with hours as (
                            select resource_id, meter, hour, quantity
                              from usage_hourly
                             where tenant_id = :tenant and hour >= :from and hour < :to
                               and (cast(:resource as text) is null or resource_id = :resource)
                            union all
                            select resource_id, meter, hour, delta
                              from usage_adjustment
                             where tenant_id = :tenant and hour >= :from and hour < :to
                               and (cast(:resource as text) is null or resource_id = :resource)
                        ), periods as (
                            select resource_id, meter, quantity,
                                   date_trunc(cast(:truncation as text), hour at time zone 'UTC') at time zone 'UTC' as period
                              from hours
                             where cast(:meter as text) is null or split_part(meter, ':', 1) = :meter
                        )
                        select resource_id, split_part(meter, ':', 1) as meter_name, nullif(split_part(meter, ':', 2), '') as flavor,
                               period, sum(quantity) as quantity
                          from periods
                         group by grouping sets ((period, resource_id, meter), (period, meter))
                        having sum(quantity) <> 0
                         order by period, resource_id collate "C" nulls first, meter collate "C"
                        """)
                .param("tenant", query.tenantId())
                .param("from", utc(query.from()))
                .param("to", utc(query.to()))
                .param("resource", query.resourceId())
                .param("truncation", query.granularity().truncation())
                .param("meter", query.meter() == null ? null : query.meter().meterName())
                .query((rs, n) -> new Sum(rs.getString("resource_id"), rs.getString("meter_name"), rs.getString("flavor"),
                        instant(rs, "period"), rs.getBigDecimal("quantity")))
                .list();
    }
}
