package io.freehold.controlplane.compute.decision;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The instance lifecycle's decisions as pure functions: values in, values out, {@code now} a parameter.
 * The services around them load state, call one of these, and write the answer in one transaction.
 */
public final class InstanceDecisions {

    private InstanceDecisions() {
    }

    /** What a delete does now: remove an instance that never reached a host, or wait for its host's agent. */
    public enum Deletion {
        /** Nothing exists on any host: the instance is gone at once. */
        REMOVE_NOW,
        /** A host was chosen and may hold the guest: DELETING until its agent confirms (provisioning's step). */
        AWAIT_HOST
    }

    /**
     * The answer to an action.
     *
     * @param spec the spec after the action; the same as before when nothing changed
     * @param refusal why the action cannot be done in this state, for a 409
     */
    public record ActionOutcome(PowerSpec spec, boolean changed, Optional<String> refusal) {
    }

    /** Whether the scheduling step has work for an instance in this state. */
    public static boolean wantsPlacement(InstanceStatus status) {
        return status.phase() == InstancePhase.PENDING;
    }

    /**
     * The scheduling step: a pending instance that got a host becomes SCHEDULED with {@code Scheduled=True};
     * one that did not stays PENDING with {@code Scheduled=False}, the reason and placement's explanation,
     * and is looked at again later. An instance in any other phase is not this step's business.
     */
    public static StatusChange decide(InstanceStatus current, ReservationOutcome outcome, Instant now) {
        if (!wantsPlacement(current)) {
            return new StatusChange(current, true);
        }
        return switch (outcome.kind()) {
            case PLACED -> new StatusChange(new InstanceStatus(InstancePhase.SCHEDULED, outcome.hostId(), current.observedGeneration(),
                    with(current.conditions(), Condition.SCHEDULED, Condition.TRUE, "Placed", outcome.explanation(), now)), true);
            case NO_FIT -> waiting(current, "Unschedulable", outcome.explanation(), now);
            case QUOTA_EXCEEDED -> waiting(current, "QuotaExceeded", outcome.explanation(), now);
            case REFUSED -> waiting(current, "InvalidSpec", outcome.explanation(), now);
        };
    }

    /** Deleting removes at once only what never reached a host; anything placed waits for its host. */
    public static Deletion onDelete(InstanceStatus status) {
        return status.hostId() == null ? Deletion.REMOVE_NOW : Deletion.AWAIT_HOST;
    }

    /**
     * An action is a spec change: start and stop set the power state (repeating one changes nothing), a
     * reboot counts one more reboot. Every change bumps the generation. A stopped instance is not
     * rebooted (start it), and nothing is done to an instance being deleted.
     */
    public static ActionOutcome act(PowerSpec spec, InstancePhase phase, PowerAction action) {
        if (phase == InstancePhase.DELETING) {
            return refused(spec, "the instance is being deleted");
        }
        return switch (action) {
            case START -> spec.powerState() == PowerState.RUNNING ? unchanged(spec)
                    : changed(new PowerSpec(spec.generation() + 1, PowerState.RUNNING, spec.rebootCount()));
            case STOP -> spec.powerState() == PowerState.STOPPED ? unchanged(spec)
                    : changed(new PowerSpec(spec.generation() + 1, PowerState.STOPPED, spec.rebootCount()));
            case REBOOT -> spec.powerState() == PowerState.STOPPED ? refused(spec, "the instance is stopped; start it instead of rebooting")
                    : changed(new PowerSpec(spec.generation() + 1, spec.powerState(), spec.rebootCount() + 1));
        };
    }

    private static StatusChange waiting(InstanceStatus current, String reason, String message, Instant now) {
        return new StatusChange(new InstanceStatus(InstancePhase.PENDING, null, current.observedGeneration(),
                with(current.conditions(), Condition.SCHEDULED, Condition.FALSE, reason, message, now)), false);
    }

    /** The conditions with one of {@code type} replaced; its transition time moves only when its status does. */
    static List<Condition> with(List<Condition> conditions, String type, String status, String reason, String message, Instant now) {
        List<Condition> result = new ArrayList<>();
        boolean replaced = false;
        for (Condition condition : conditions) {
            if (condition.type().equals(type)) {
                Instant since = condition.status().equals(status) ? condition.lastTransitionTime() : now;
                result.add(new Condition(type, status, reason, message, since));
                replaced = true;
            } else {
                result.add(condition);
            }
        }
        if (!replaced) {
            result.add(new Condition(type, status, reason, message, now));
        }
        return result;
    }

    private static ActionOutcome unchanged(PowerSpec spec) {
        return new ActionOutcome(spec, false, Optional.empty());
    }

    private static ActionOutcome changed(PowerSpec spec) {
        return new ActionOutcome(spec, true, Optional.empty());
    }

    private static ActionOutcome refused(PowerSpec spec, String why) {
        return new ActionOutcome(spec, false, Optional.of(why));
    }
}
