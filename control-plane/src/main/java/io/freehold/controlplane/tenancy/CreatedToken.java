package io.freehold.controlplane.tenancy;

import com.fasterxml.jackson.annotation.JsonUnwrapped;

/**
 * A new token with its secret, the one time the secret is shown.
 *
 * @param token the value to send as {@code Authorization: Bearer <token>}
 */
public record CreatedToken(@JsonUnwrapped ApiToken metadata, String token) {

    /** Hides the secret: Spring MVC logs every response body it writes at trace level, by toString. */
    @Override
    public String toString() {
        return "CreatedToken[metadata=" + metadata + ", token=<hidden>]";
    }
}
