package io.freehold.controlplane.metering.decision;

/**
 * What the report says about one instance.
 *
 * @param tolerance   the difference, in seconds either way, that the witnesses' whole-second resolution explains
 * @param explanation the cause in words, with the numbers, for an operator
 */
public record ReconciliationVerdict(ReconciliationCause cause, long tolerance, String explanation) {
}
