package io.freehold.controlplane.billing.decision;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Currency;

/** The one rounding billing does: to the currency's minor unit (2 places for EUR, 0 for JPY, 3 for KWD), half-even. */
public final class Money {

    private Money() {
    }

    public static BigDecimal round(BigDecimal amount, Currency currency) {
        return amount.setScale(minorDigits(currency), RoundingMode.HALF_EVEN);
    }

    /** Zero with the currency's scale, so that sums of rounded amounts print alike. */
    public static BigDecimal zero(Currency currency) {
        return BigDecimal.ZERO.setScale(minorDigits(currency));
    }

    private static int minorDigits(Currency currency) {
        int digits = currency.getDefaultFractionDigits();
        if (digits < 0) {
            throw new IllegalArgumentException(currency + " has no minor unit to round to (not a currency billing accepts)");
        }
        return digits;
    }
}
