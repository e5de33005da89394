/**
 * Inventory: the operator's data centers as DCIM tools model them — sites, locations inside them
 * (rooms, cages), racks with numbered units, and hosts in rack slots — plus everything about a host's
 * life as a Freehold hypervisor: join tokens, facts the agent measured, heartbeats, the state machine
 * REGISTERED → READY ⇄ UNREACHABLE → REVOKED, the cordon flag, and the append-only host events.
 * {@link io.freehold.controlplane.inventory.HostRegistry} is what the agent link calls, and
 * {@link io.freehold.controlplane.inventory.AgentEndpoint} what inventory asks of it in return. Ops
 * manage all of it under {@code /api/v1/ops/}; positions are units counted from the bottom of a rack.
 */
package io.freehold.controlplane.inventory;
