package io.freehold.bench;

import java.io.PrintStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Currency;
import java.util.List;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The month close benchmark's checks on what month close stored, from the database and independent of billing's code:
 * every tenant's invoice FINAL under the numbers 1..N without a gap, no open hour left in the month, every line's
 * resource parts adding up to it and every invoice to its lines — and, for a sample of tenants, the invoice's figures
 * worked out again from the stored hours: SQL sums per meter, flavor and price-list version in force at each hour,
 * times the list's price, less the tenant's discount, rounded once per line half-even to the currency's minor unit, the
 * tax of each rounded line likewise.
 */
final class InvoiceCheck {

    private InvoiceCheck() {
    }

    /**
     * What the checks found.
     *
     * @param finals          invoices of the month
     * @param numbersGapless  their numbers are exactly 1..finals
     * @param openHours       hours of the month not closed
     * @param linesOff        lines whose resource parts do not add up to the line's amount
     * @param invoicesOff     invoices whose subtotal or tax is not the sum of their lines'
     * @param sampled         tenants re-rated independently
     * @param mismatches      of those, tenants whose invoice differs from the re-rating
     */
    record Outcome(long finals, boolean numbersGapless, long openHours, long linesOff, long invoicesOff, int sampled, int mismatches) {

        boolean holds(long tenants) {
            return finals == tenants && numbersGapless && openHours == 0 && linesOff == 0 && invoicesOff == 0 && mismatches == 0;
        }
    }

    static Outcome run(JdbcClient jdbc, List<String> tenants, Instant from, Instant to, int samples, PrintStream out) {
        LocalDate period = from.atOffset(ZoneOffset.UTC).toLocalDate();
        long finals = jdbc.sql("select count(*) from invoice where period = :period").param("period", period).query(Long.class).single();
        boolean gapless = jdbc.sql("select count(distinct number) = count(*) and min(number) = 1 and max(number) = count(*) from invoice")
                .query(Boolean.class).optional().orElse(false);
        long open = jdbc.sql("select count(*) from usage_hourly where hour >= :from and hour < :to and not closed")
                .param("from", from.atOffset(ZoneOffset.UTC)).param("to", to.atOffset(ZoneOffset.UTC)).query(Long.class).single();
        long linesOff = jdbc.sql("""
                        select count(*) from invoice_line l
                         where l.period = :period and l.category <> 'Credit'
                           and l.amount <> (select coalesce(sum(r.amount), 0) from invoice_line_resource r
                                             where (r.tenant_id, r.period, r.line_no) = (l.tenant_id, l.period, l.line_no))
                        """)
                .param("period", period).query(Long.class).single();
        long invoicesOff = jdbc.sql("""
                        select count(*) from invoice i
                         where i.period = :period
                           and (i.subtotal, i.tax) <> (select coalesce(sum(l.amount), 0), coalesce(sum(l.tax), 0) from invoice_line l
                                                        where (l.tenant_id, l.period) = (i.tenant_id, i.period))
                        """)
                .param("period", period).query(Long.class).single();
        int step = Math.max(1, tenants.size() / Math.max(1, samples));
        int sampled = 0;
        int mismatches = 0;
        for (int t = 0; t < tenants.size(); t += step) {
            sampled++;
            if (!rerated(jdbc, tenants.get(t), from, to, period, out)) {
                mismatches++;
            }
        }
        return new Outcome(finals, gapless, open, linesOff, invoicesOff, sampled, mismatches);
    }

    /** Whether the tenant's stored invoice has the lines, subtotal, tax and total the re-rating gives. */
    private static boolean rerated(JdbcClient jdbc, String tenant, Instant from, Instant to, LocalDate period, PrintStream out) {
        List<Line> lines = jdbc.sql("""
                        select split_part(h.meter, ':', 1) as meter, v.tax_rate, pl.currency, tp.discount_percent,
                               coalesce(flavor_price.unit_price, meter_price.unit_price, 0) as unit_price, sum(h.quantity) as quantity
                          from usage_hourly h
                          join tenant_pricing tp on tp.tenant_id = h.tenant_id
                          join price_list pl on pl.id = tp.price_list_id
                          join lateral (select v.version, v.tax_rate from price_list_version v
                                         where v.price_list_id = tp.price_list_id and v.effective_from <= h.hour
                                         order by v.effective_from desc limit 1) v on true
                          left join price_list_unit_price meter_price
                                 on (meter_price.price_list_id, meter_price.version, meter_price.meter) = (tp.price_list_id, v.version, split_part(h.meter, ':', 1))
                          left join price_list_unit_price flavor_price
                                 on (flavor_price.price_list_id, flavor_price.version, flavor_price.meter) = (tp.price_list_id, v.version, h.meter)
                         where h.tenant_id = :tenant and h.hour >= :from and h.hour < :to and h.quantity <> 0
                         group by h.meter, v.version, v.tax_rate, pl.currency, tp.discount_percent, flavor_price.unit_price, meter_price.unit_price
                        """)
                .param("tenant", tenant).param("from", from.atOffset(ZoneOffset.UTC)).param("to", to.atOffset(ZoneOffset.UTC))
                .query((rs, row) -> new Line(rs.getString("meter"), rs.getBigDecimal("quantity"), rs.getBigDecimal("unit_price"),
                        rs.getBigDecimal("discount_percent"), rs.getBigDecimal("tax_rate"), Currency.getInstance(rs.getString("currency"))))
                .list();
        BigDecimal subtotal = BigDecimal.ZERO;
        BigDecimal tax = BigDecimal.ZERO;
        for (Line line : lines) {
            subtotal = subtotal.add(line.amount());
            tax = tax.add(line.tax());
        }
        Stored stored = jdbc.sql("""
                        select i.subtotal, i.tax, i.total, (select count(*) from invoice_line l where (l.tenant_id, l.period) = (i.tenant_id, i.period)) as lines
                          from invoice i where i.tenant_id = :tenant and i.period = :period
                        """)
                .param("tenant", tenant).param("period", period)
                .query((rs, row) -> new Stored(rs.getBigDecimal("subtotal"), rs.getBigDecimal("tax"), rs.getBigDecimal("total"), rs.getInt("lines")))
                .optional().orElse(null);
        boolean equal = stored != null && stored.lines() == lines.size() && stored.subtotal().compareTo(subtotal) == 0
                && stored.tax().compareTo(tax) == 0 && stored.total().compareTo(subtotal.add(tax)) == 0;
        if (!equal) {
            out.printf("MISMATCH %s: stored %s, re-rated %d lines, subtotal %s, tax %s, total %s%n", tenant, stored, lines.size(), subtotal, tax,
                    subtotal.add(tax));
        }
        return equal;
    }

    /** One line as the check works it out: a meter (with its flavor) at one version's price. */
    private record Line(String meter, BigDecimal storedQuantity, BigDecimal unitPrice, BigDecimal discountPercent, BigDecimal taxRate,
                        Currency currency) {

        /** Memory is stored in MiB·s and priced per GiB·s; every other meter is priced in its stored unit. */
        BigDecimal quantity() {
            return meter.equals("memory.gib.seconds") ? storedQuantity.divide(BigDecimal.valueOf(1024)) : storedQuantity;
        }

        BigDecimal amount() {
            BigDecimal payable = quantity().multiply(unitPrice).multiply(BigDecimal.ONE.subtract(discountPercent.movePointLeft(2)));
            return payable.setScale(currency.getDefaultFractionDigits(), RoundingMode.HALF_EVEN);
        }

        BigDecimal tax() {
            return amount().multiply(taxRate).setScale(currency.getDefaultFractionDigits(), RoundingMode.HALF_EVEN);
        }
    }

    private record Stored(BigDecimal subtotal, BigDecimal tax, BigDecimal total, int lines) {
    }
}
