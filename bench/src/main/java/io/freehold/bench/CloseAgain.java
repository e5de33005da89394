package io.freehold.bench;

import java.time.Instant;
import java.util.List;

import io.freehold.controlplane.billing.Invoice;
import io.freehold.controlplane.billing.Invoicing;
import io.freehold.controlplane.billing.MonthClose;
import io.freehold.controlplane.billing.decision.BillingPeriod;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The month close benchmark's idempotence checks once the month is closed: {@link MonthClose#closeMonth} again, which
 * closes nothing and counts every tenant's invoice as already final; then {@link Invoicing#close} of every tenant again, each
 * of which must return the stored invoice as already final. Neither may write anything: invoices, lines, resource
 * parts, the invoice counter, closed hours and adjustments are counted before and after.
 *
 * @param second               what the second {@code closeMonth} returned
 * @param secondWroteNothing   nothing changed across it
 * @param reclosedAlreadyFinal tenants whose close came back already final with the first close's number and total
 * @param recloseWroteNothing  nothing changed across closing every tenant again
 */
record CloseAgain(MonthClose.Outcome second, boolean secondWroteNothing, int reclosedAlreadyFinal, boolean recloseWroteNothing) {

    static CloseAgain run(MonthClose monthClose, Invoicing invoicing, JdbcClient jdbc, BillingPeriod period, List<Invoice> firstClosed, Instant now) {
        BillingRows before = BillingRows.count(jdbc, period);
        MonthClose.Outcome second = monthClose.closeMonth(period.month());
        BillingRows afterSecond = BillingRows.count(jdbc, period);
        int alreadyFinal = 0;
        for (Invoice invoice : firstClosed) {
            Invoicing.Closed again = invoicing.close(invoice.tenantId(), period, now);
            if (again.alreadyFinal() && again.invoice().number().equals(invoice.number()) && again.invoice().total().compareTo(invoice.total()) == 0) {
                alreadyFinal++;
            }
        }
        return new CloseAgain(second, afterSecond.equals(before), alreadyFinal, BillingRows.count(jdbc, period).equals(afterSecond));
    }

    boolean holds(int closed) {
        return second.closed().isEmpty() && second.failed().isEmpty() && secondWroteNothing && reclosedAlreadyFinal == closed && recloseWroteNothing;
    }
}
