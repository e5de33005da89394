/**
 * Tenancy and identity: tenants (the companies renting capacity, active or suspended), their quotas,
 * users with one role each (ops roles belong to no tenant), API tokens (shown once, stored as a
 * SHA-256 of their secret, found by a public prefix) and the append-only audit log. Also the
 * bootstrap operator created on the first start of an installation.
 */
package io.freehold.controlplane.tenancy;
