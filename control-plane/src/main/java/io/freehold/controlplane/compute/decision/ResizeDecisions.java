package io.freehold.controlplane.compute.decision;

import java.time.Instant;
import java.util.Optional;

/**
 * Resizing an instance to another flavor, as pure functions. A resize is a spec change (ARCHITECTURE §3.1)
 * made only while the guest is off, so that it never restarts a running guest: the spec says stopped and
 * the host last reported the guest stopped — or failed to apply a change made while stopped, so that a
 * failed resize can be retried or undone. The guest keeps running only when the tenant starts it again. A
 * root disk only grows: shrinking one would destroy what the guest wrote at its end. The {@code Resized}
 * condition tells how the last resize went: {@code Unknown} until the host answers the generation that
 * carries it, then {@code True}, or {@code False} with the host's failure code.
 */
public final class ResizeDecisions {

    /** The condition's reason while the host has not answered. */
    static final String RESIZING = "Resizing";
    /** The condition's reason once the host applied the size. */
    static final String RESIZED = "Resized";

    private ResizeDecisions() {
    }

    /** An instance's size and the flavor it was taken from. */
    public record Shape(String flavorId, int vcpus, long memoryMib, long rootDiskGib) {

        /** {@code 4 vCPUs, 8192 MiB memory, 40 GiB root disk}. */
        String describe() {
            return vcpus + (vcpus == 1 ? " vCPU, " : " vCPUs, ") + memoryMib + " MiB memory, " + rootDiskGib + " GiB root disk";
        }
    }

    /**
     * The answer to a resize.
     *
     * @param changed false for a resize to the flavor the instance has, which changes nothing
     * @param generation the spec's generation after the resize: one more when it changed
     * @param refusal why it cannot be done, when it cannot
     */
    public record Outcome(boolean changed, long generation, Optional<Refusal> refusal) {
    }

    /** Why a resize is refused, and which kind of refusal it is. */
    public record Refusal(Kind kind, String message) {

        public enum Kind {
            /** The flavor can never be this instance's (its root disk is smaller): the request is at fault. */
            UNSUITABLE_FLAVOR,
            /** Not in the instance's present state. */
            CONFLICT
        }
    }

    /**
     * A resize to the flavor the instance has already changes nothing, whatever its state (so a retried
     * resize is harmless); to another one it bumps the generation. The flavor is checked before the state:
     * a smaller root disk is wrong whenever it is asked for.
     */
    public static Outcome resize(PowerSpec spec, InstancePhase phase, Shape current, Shape wanted) {
        if (phase == InstancePhase.DELETING) {
            return refused(spec, Refusal.Kind.CONFLICT, "the instance is being deleted");
        }
        if (current.flavorId().equals(wanted.flavorId())) {
            return new Outcome(false, spec.generation(), Optional.empty());
        }
        if (wanted.rootDiskGib() < current.rootDiskGib()) {
            return refused(spec, Refusal.Kind.UNSUITABLE_FLAVOR, "its " + wanted.rootDiskGib() + " GiB root disk is smaller than the instance's "
                    + current.rootDiskGib() + " GiB; a root disk can only grow, so choose a flavor with at least " + current.rootDiskGib() + " GiB");
        }
        if (spec.powerState() == PowerState.RUNNING) {
            return refused(spec, Refusal.Kind.CONFLICT, "the instance is running; stop it, wait for phase STOPPED, then resize it");
        }
        if (phase != InstancePhase.STOPPED && phase != InstancePhase.FAILED) {
            return refused(spec, Refusal.Kind.CONFLICT, "the instance is not stopped yet (phase " + phase + "); wait for phase STOPPED");
        }
        return new Outcome(true, spec.generation() + 1, Optional.empty());
    }

    /**
     * The status right after a resize: {@code Resized=Unknown}, with a message saying to what and from what
     * that stays with the condition until the next resize.
     */
    public static InstanceStatus resizing(InstanceStatus status, String flavorName, Shape from, Shape to, Instant now) {
        String message = "to " + flavorName + " (" + to.describe() + ") from " + from.describe();
        return new InstanceStatus(status.phase(), status.hostId(), status.observedGeneration(),
                InstanceDecisions.with(status.conditions(), Condition.RESIZED, Condition.UNKNOWN, RESIZING, message, now));
    }

    /**
     * After the host answered the spec's {@code generation}, which carries the last resize whatever came
     * after it: {@code Resized=True} when the guest is as asked, {@code False} with the {@code Ready}
     * condition's reason (the host's failure code) when the host could not. A later generation that
     * succeeds turns a {@code False} into {@code True}, since it carries the same size. Anything else leaves
     * the status as it is.
     */
    public static InstanceStatus settle(long generation, InstanceStatus status, Instant now) {
        Optional<Condition> resized = status.condition(Condition.RESIZED);
        if (resized.isEmpty() || resized.get().status().equals(Condition.TRUE) || status.observedGeneration() != generation) {
            return status;
        }
        String message = resized.get().message();
        return switch (status.phase()) {
            case RUNNING, STOPPED -> withResized(status, Condition.TRUE, RESIZED, message, now);
            case FAILED -> withResized(status, Condition.FALSE,
                    status.condition(Condition.READY).map(Condition::reason).orElse("Failed"), message, now);
            default -> status;
        };
    }

    private static InstanceStatus withResized(InstanceStatus status, String conditionStatus, String reason, String message, Instant now) {
        return new InstanceStatus(status.phase(), status.hostId(), status.observedGeneration(),
                InstanceDecisions.with(status.conditions(), Condition.RESIZED, conditionStatus, reason, message, now));
    }

    private static Outcome refused(PowerSpec spec, Refusal.Kind kind, String why) {
        return new Outcome(false, spec.generation(), Optional.of(new Refusal(kind, why)));
    }
}
