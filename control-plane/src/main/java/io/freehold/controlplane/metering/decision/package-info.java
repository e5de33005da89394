/**
 * Metering's pure core: an instance's lifecycle facts in, its exact usage out. A {@link
 * io.freehold.controlplane.metering.decision.MeteredFact} is one entry of the lifecycle log; the {@link
 * io.freehold.controlplane.metering.decision.UsageIntegrator} turns an instance's facts into {@link
 * io.freehold.controlplane.metering.decision.UsageInterval}s per {@link io.freehold.controlplane.metering.decision.Meter}, and
 * {@link io.freehold.controlplane.metering.decision.HourlyUsage} cuts those into UTC hours. {@link
 * io.freehold.controlplane.metering.decision.Reconciliation} judges an instance's logged running seconds against its hosts'
 * counters and its rollups ({@link io.freehold.controlplane.metering.decision.RunningSecondsComparison}) into a {@link
 * io.freehold.controlplane.metering.decision.ReconciliationCause}. Times are whole UTC seconds and
 * quantities exact integers; nothing here reads a clock, a database or the network — "now" is the {@code asOf} argument.
 */
package io.freehold.controlplane.metering.decision;
