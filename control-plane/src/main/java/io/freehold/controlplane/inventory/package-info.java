/**
 * Inventory: the operator's data centers as DCIM tools model them — sites, locations inside them
 * (rooms, cages), racks with numbered units, and hosts in rack slots — plus everything about a host's
 * life as a Freehold hypervisor: join tokens, facts the agent measured, heartbeats, the state machine
 * REGISTERED → READY ⇄ UNREACHABLE → REVOKED, the cordon flag, and the append-only host events.
 * {@link io.freehold.controlplane.inventory.HostRegistry} is what the agent link calls.
 */
package io.freehold.controlplane.inventory;
