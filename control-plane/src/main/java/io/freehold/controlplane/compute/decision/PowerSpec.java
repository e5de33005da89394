package io.freehold.controlplane.compute.decision;

/**
 * The part of an instance's spec that its actions change.
 *
 * @param generation bumped on every spec change
 * @param rebootCount how many reboots were asked for; the agent reboots when it sees a higher one
 */
public record PowerSpec(long generation, PowerState powerState, long rebootCount) {
}
