package io.freehold.controlplane.billing;

import java.math.BigDecimal;
import java.time.Instant;

import io.freehold.controlplane.billing.decision.Credit;

/**
 * A credit operators granted a tenant: {@code amount} before tax off the invoice of the month it was issued in.
 *
 * @param issuedBy the operator who issued it
 */
public record CreditNote(String id, String tenantId, @Invoice.Decimal BigDecimal amount, String reason, Instant issuedAt, String issuedBy) {

    static final String ID_PREFIX = "cn";

    Credit credit() {
        return new Credit(id, amount, reason, issuedAt);
    }
}
