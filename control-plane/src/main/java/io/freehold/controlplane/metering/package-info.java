/**
 * Metering's input: the append-only log of observed lifecycle facts (ARCHITECTURE §3.6) — what hosts' agents
 * observed about their guests, and the deletes the API decided — and each guest's independent running-seconds
 * counter. Usage, rollups and the reconciliation report are computed from these two and nothing else.
 * {@link io.freehold.controlplane.metering.UsageRollups} keeps the hourly rows ({@code usage_hourly}) equal to what
 * the log integrates to, never changing a closed hour: a late difference on one is a {@code usage_adjustment}.
 * {@link io.freehold.controlplane.metering.UsageReports} reads both for the usage API: an hour counts as its row
 * plus its adjustments, summed per tenant, resource, meter and UTC hour, day or month.
 */
package io.freehold.controlplane.metering;
