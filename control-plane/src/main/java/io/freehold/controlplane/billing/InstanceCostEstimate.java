package io.freehold.controlplane.billing;

import java.util.List;

/**
 * What a prospective instance would cost the caller's tenant, at the prices in force now, before tax. Amounts are
 * exact decimal strings, not rounded: an invoice rounds once per line (docs/billing.md).
 *
 * @param perHourRunning  while it runs: its flavor's instance price and its vCPUs, memory and disk
 * @param perHourStopped  while it is stopped: its disk alone
 * @param perMonthRunning running for every hour of the current month ({@code monthHours})
 * @param unpricedMeters  meters the price list does not price (they cost nothing)
 */
record InstanceCostEstimate(String flavorId, String imageId, String currency, String priceListId, int priceListVersion,
                            String discountPercent, String perHourRunning, String perHourStopped, String perMonthRunning,
                            long monthHours, List<String> unpricedMeters) {
}
