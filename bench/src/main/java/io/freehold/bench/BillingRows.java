package io.freehold.bench;

import java.time.ZoneOffset;

import io.freehold.controlplane.billing.decision.BillingPeriod;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * What month close writes, counted in the database: invoices, their lines and the lines' resource parts, the invoice
 * counter, the month's closed hours, and adjustments.
 */
record BillingRows(long invoices, long lines, long parts, long lastNumber, long closedHours, long adjustments) {

    static BillingRows count(JdbcClient jdbc, BillingPeriod period) {
        return jdbc.sql("""
                        select (select count(*) from invoice) as invoices, (select count(*) from invoice_line) as lines,
                               (select count(*) from invoice_line_resource) as parts, (select last_number from invoice_counter) as last_number,
                               (select count(*) from usage_hourly where closed and hour >= :from and hour < :to) as closed_hours,
                               (select count(*) from usage_adjustment) as adjustments
                        """)
                .param("from", period.start().atOffset(ZoneOffset.UTC)).param("to", period.end().atOffset(ZoneOffset.UTC))
                .query((rs, row) -> new BillingRows(rs.getLong("invoices"), rs.getLong("lines"), rs.getLong("parts"), rs.getLong("last_number"),
                        rs.getLong("closed_hours"), rs.getLong("adjustments")))
                .single();
    }
}
