package io.freehold.controlplane.billing.decision;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * A tenant's monthly budget: warnings at each threshold (percent of the amount), each once per month, and — when the
 * tenant opted in — no new instances once the month's spend reaches the whole amount.
 */
public record Budget(BigDecimal monthlyAmount, SortedSet<Integer> thresholdsPercent, boolean refuseCreatesWhenSpent) {

    public static final SortedSet<Integer> DEFAULT_THRESHOLDS = new TreeSet<>(Set.of(50, 80, 100));

    public Budget {
        if (monthlyAmount.signum() <= 0) {
            throw new IllegalArgumentException("a budget is a positive amount, not " + monthlyAmount);
        }
        if (thresholdsPercent.isEmpty() || thresholdsPercent.first() < 1 || thresholdsPercent.last() > 1000) {
            throw new IllegalArgumentException("thresholds are 1 to 1000 %, at least one: " + thresholdsPercent);
        }
        thresholdsPercent = new TreeSet<>(thresholdsPercent);
    }

    /** The thresholds {@code spent} has reached that were not recorded yet this month, lowest first. */
    public List<Integer> newlyReached(BigDecimal spent, Set<Integer> recordedThisMonth) {
        return thresholdsPercent.stream()
                .filter(threshold -> !recordedThisMonth.contains(threshold))
                .filter(threshold -> spent.multiply(BigDecimal.valueOf(100)).compareTo(monthlyAmount.multiply(BigDecimal.valueOf(threshold))) >= 0)
                .toList();
    }

    /** How much of the amount {@code spent} is, in percent with one decimal, half-even (over 100 once overspent). */
    public BigDecimal percentSpent(BigDecimal spent) {
        return spent.multiply(BigDecimal.valueOf(100)).divide(monthlyAmount, 1, RoundingMode.HALF_EVEN);
    }

    /** Whether a new instance is refused now: opted in, and the month's spend has reached the budget. */
    public boolean refusesCreates(BigDecimal spent) {
        return refuseCreatesWhenSpent && spent.compareTo(monthlyAmount) >= 0;
    }
}
