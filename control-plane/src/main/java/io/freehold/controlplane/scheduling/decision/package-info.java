/**
 * The pure planner (ARCHITECTURE §3.4, after Nomad's scheduler): a request and an immutable snapshot of
 * hosts in, a plan with its explanation out. Filters run cheapest first and count every host they turn
 * away; scorers rank a bounded sample of the hosts that pass. No I/O, no clock, no hidden randomness: the
 * order hosts are visited in comes from a seed the caller passes.
 */
package io.freehold.controlplane.scheduling.decision;
