/**
 * Placement (ARCHITECTURE §3.4): the pure planner in {@code decision}, the allocation ledger that says
 * which host holds which resources for which consumer, the plan applier that commits plans after
 * re-checking every chosen host under its row lock, tenant quotas enforced in the same transaction, and
 * placement groups. Consumers (instances, later containers) go through {@link
 * io.freehold.controlplane.scheduling.Placements}; no endpoint writes allocations directly.
 */
package io.freehold.controlplane.scheduling;
