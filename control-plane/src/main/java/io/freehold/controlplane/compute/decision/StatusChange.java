package io.freehold.controlplane.compute.decision;

/**
 * What a reconcile step decided for one instance.
 *
 * @param status the status to store; equal to the current one when nothing changed
 * @param settled true when this step has nothing more to do for the instance (its queue key is completed);
 *                false when it should look again after a backoff
 */
public record StatusChange(InstanceStatus status, boolean settled) {
}
