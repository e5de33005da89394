/**
 * Instances: a tenant's virtual machines, each a spec (what the tenant asked for — flavor sizes, image,
 * keys, user data, group, labels, power state and reboot count — with a {@code generation} bumped on
 * every change) and a status (phase, host, conditions, {@code observedGeneration}). The REST API changes
 * specs and queues the instance's key; reconcilers act on keys (so far the scheduling step,
 * {@link io.freehold.controlplane.compute.SchedulingPass}, which places pending instances through
 * {@link io.freehold.controlplane.scheduling.Placements}). Decisions are pure functions in {@code decision}.
 * Provisioning on agents comes next (docs/compute.md).
 */
package io.freehold.controlplane.compute;
