package io.freehold.controlplane.billing;

import java.math.BigDecimal;
import java.time.YearMonth;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonFormat;

/**
 * What an operator's month close did.
 *
 * @param closed       the invoices it made final, without lines
 * @param alreadyFinal how many tenants' invoices of the month were final already
 * @param failed       the tenants whose month it could not close, with why; the job tries them again
 */
record MonthCloseReport(@JsonFormat(shape = JsonFormat.Shape.STRING) YearMonth period, List<Closed> closed, int alreadyFinal,
                        List<MonthClose.Failure> failed) {

    record Closed(String tenantId, String number, String currency, @Invoice.Decimal BigDecimal total) {
    }

    static MonthCloseReport of(YearMonth period, MonthClose.Outcome outcome) {
        return new MonthCloseReport(period, outcome.closed().stream()
                .map(invoice -> new Closed(invoice.tenantId(), invoice.number(), invoice.currency(), invoice.total())).toList(),
                outcome.alreadyFinal(), outcome.failed());
    }
}
