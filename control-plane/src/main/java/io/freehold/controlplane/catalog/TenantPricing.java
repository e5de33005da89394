package io.freehold.controlplane.catalog;

import java.time.Instant;

/**
 * What a tenant pays: its own price list and discount, or — with {@code assigned} false — the default list at no
 * discount ({@code priceListId} null when there is no default list yet).
 */
public record TenantPricing(String tenantId, String priceListId, boolean assigned, String discountPercent, Instant updatedAt) {
}
