package io.freehold.controlplane.platform.security;

/** Resolves a bearer token to its caller; implemented by the feature that owns tokens. */
public interface TokenAuthenticator {

    /**
     * Checks the token's secret in constant time, its expiry and revocation, and its tenant's status,
     * and records when it was last used.
     *
     * @throws io.freehold.controlplane.platform.web.ApiProblem 401 for an unknown, wrong, expired or
     *         revoked token; 403 {@code tenant-suspended}, with the operator's reason, for a token of a
     *         suspended tenant
     */
    Caller authenticate(String bearerToken);
}
