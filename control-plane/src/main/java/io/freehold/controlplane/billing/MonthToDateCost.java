package io.freehold.controlplane.billing;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.YearMonth;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonFormat;

/**
 * What the caller's tenant has spent this UTC month and where it is heading, before tax.
 *
 * @param monthToDate      the month's draft invoice's subtotal: usage as far as the hourly rollups have it, rated
 * @param monthToDateTax   that draft's tax
 * @param hourlyRate       what its live instances cost an hour now: running ones in full, stopped ones their disk; exact
 * @param forecastMonthEnd month to date plus the hourly rate until the month ends, rounded to the minor unit
 * @param budget           absent when the tenant has no budget, or one in another currency
 */
record MonthToDateCost(@JsonFormat(shape = JsonFormat.Shape.STRING) YearMonth period, String currency, Instant asOf,
                       @Invoice.Decimal BigDecimal monthToDate, @Invoice.Decimal BigDecimal monthToDateTax,
                       @Invoice.Decimal BigDecimal hourlyRate, @Invoice.Decimal BigDecimal forecastMonthEnd, BudgetStanding budget) {

    /**
     * The month's spend against the budget.
     *
     * @param reachedThresholdsPercent the thresholds recorded as reached this month, as the budget watch saw them
     * @param percentSpent             month to date against the amount, one decimal
     * @param refusingCreates          whether new instances are refused now
     */
    record BudgetStanding(@Invoice.Decimal BigDecimal amount, List<Integer> thresholdsPercent, List<Integer> reachedThresholdsPercent,
                          @Invoice.Decimal BigDecimal percentSpent, boolean refuseCreatesWhenSpent, boolean refusingCreates) {
    }
}
