/**
 * Cross-cutting conventions every feature relies on and no feature owns: where data lives (the data
 * directory and the database, embedded or external), web conventions (problem+json errors, request ids,
 * cursor pagination, Idempotency-Key, one transaction per mutating request), the caller's
 * {@link io.freehold.controlplane.platform.security.Caller} and its role, id and clock beans.
 * It depends on no feature: features plug in through the interfaces it declares
 * ({@link io.freehold.controlplane.platform.security.TokenAuthenticator},
 * {@link io.freehold.controlplane.platform.audit.AuditTrail}).
 */
package io.freehold.controlplane.platform;
