package io.freehold.controlplane.compute.decision;

import java.time.Instant;

/**
 * One observed aspect of an instance, as Kubernetes writes conditions.
 *
 * @param type what is observed, such as {@link #SCHEDULED}
 * @param status {@link #TRUE}, {@link #FALSE} or {@link #UNKNOWN}
 * @param reason one CamelCase word a program may switch on, such as {@code Unschedulable}
 * @param message the explanation for a person
 * @param lastTransitionTime when {@code status} last changed; a new message alone does not move it
 */
public record Condition(String type, String status, String reason, String message, Instant lastTransitionTime) {

    public static final String SCHEDULED = "Scheduled";
    /** The guest on its host is as the spec of {@code observedGeneration} says. */
    public static final String READY = "Ready";
    /** The guest's host confirmed it removed the guest. */
    public static final String DELETED = "Deleted";
    /** The guest's host applied the size of the last resize ({@code Unknown} until it answered). */
    public static final String RESIZED = "Resized";
    /** The guest's host is heard from; False while it is UNREACHABLE and what it does is unknown. */
    public static final String HOST_REACHABLE = "HostReachable";
    public static final String TRUE = "True";
    public static final String FALSE = "False";
    public static final String UNKNOWN = "Unknown";
}
