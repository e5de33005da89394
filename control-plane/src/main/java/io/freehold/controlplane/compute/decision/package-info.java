/**
 * The instance lifecycle's pure decisions: phases, conditions, what a scheduling outcome, a delete or a
 * power action does to an instance. No Spring, no SQL, no clock: {@code now} is a parameter.
 */
package io.freehold.controlplane.compute.decision;
