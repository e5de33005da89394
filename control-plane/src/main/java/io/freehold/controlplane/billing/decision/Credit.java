package io.freehold.controlplane.billing.decision;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Objects;

/**
 * A credit note ops granted a tenant: {@code amount} (positive, before tax) off the invoice of the period it was issued
 * in, taxed at the rate in force when it was issued, as the charges it offsets were.
 */
public record Credit(String reference, BigDecimal amount, String reason, Instant issuedAt) {

    public Credit {
        Objects.requireNonNull(reference);
        Objects.requireNonNull(reason);
        Objects.requireNonNull(issuedAt);
        if (amount.signum() <= 0) {
            throw new IllegalArgumentException("a credit is a positive amount, not " + amount);
        }
    }
}
