package io.freehold.controlplane.compute.decision;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
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

    /**
     * The provisioning step for an instance that has a host (ARCHITECTURE §3.1, §3.3): each spec
     * generation becomes one {@code PUT} command for the host, and the host's answer becomes the status.
     * PROVISIONING until the first answer; RUNNING or STOPPED, as the spec asks, once the host reports the
     * guest so, with {@code observedGeneration} caught up; FAILED with the host's code and words when it
     * could not. A deleted instance gets one {@code DELETE}; the host's confirmation removes it, a failure is
     * recorded and the delete tried again later. A pending command is waited for: the answer queues the
     * instance again.
     *
     * <p>What the host observed after it carried out the last command outranks that command's answer: a guest
     * found stopped, running or missing against the spec (powered off from inside, removed with virsh while the
     * agent was away) shows as it is, with {@code Ready=False}, and gets the spec's {@code PUT} again. While the
     * host is UNREACHABLE the instance says so ({@code HostReachable=False}) and keeps its last known phase.
     *
     * @param observed        the host's latest observation of the guest, if it reported one
     * @param hostUnreachable why the host is not heard from, while it is UNREACHABLE
     */
    public static Convergence converge(PowerSpec spec, InstanceStatus status, Optional<HostCommand> last, Optional<GuestObservation> observed,
                                       Optional<String> hostUnreachable, Instant now) {
        if (status.hostId() == null) {
            return new Convergence(status, Optional.empty(), false, true);
        }
        InstanceStatus current = reachability(status, hostUnreachable, now);
        if (current.phase() == InstancePhase.DELETING) {
            if (last.isEmpty() || last.get().kind() != HostCommand.Kind.DELETE) {
                return new Convergence(current, Optional.of(HostCommand.Kind.DELETE), false, true);
            }
            return switch (last.get().state()) {
                case PENDING -> new Convergence(current, Optional.empty(), false, true);
                case SUCCEEDED -> new Convergence(withCondition(current, Condition.DELETED, Condition.TRUE, "Removed",
                        "the host removed the guest, its disk and its console log", now), Optional.empty(), true, true);
                case FAILED -> new Convergence(withCondition(current, Condition.DELETED, Condition.FALSE, failureReason(last.get()),
                        last.get().failureReason().orElse(""), now), Optional.of(HostCommand.Kind.DELETE), false, false);
            };
        }
        boolean answersThisGeneration = last.isPresent() && last.get().kind() == HostCommand.Kind.PUT
                && last.get().generation() == spec.generation();
        if (!answersThisGeneration) {
            InstancePhase phase = current.phase() == InstancePhase.SCHEDULED ? InstancePhase.PROVISIONING : current.phase();
            return new Convergence(new InstanceStatus(phase, current.hostId(), current.observedGeneration(), current.conditions()),
                    Optional.of(HostCommand.Kind.PUT), false, true);
        }
        return switch (last.get().state()) {
            case PENDING -> new Convergence(current, Optional.empty(), false, true);
            case SUCCEEDED -> {
                if (observed.isPresent() && observed.get().appliedSeq() >= last.get().seq() && !observed.get().agreesWith(spec.powerState())) {
                    yield drifted(spec, current, observed.get().power(), now);
                }
                InstancePhase phase = spec.powerState() == PowerState.RUNNING ? InstancePhase.RUNNING : InstancePhase.STOPPED;
                InstanceStatus converged = new InstanceStatus(phase, current.hostId(), spec.generation(), current.conditions());
                yield new Convergence(withCondition(converged, Condition.READY, Condition.TRUE, "Converged",
                        "the host reports the guest " + (phase == InstancePhase.RUNNING ? "running" : "stopped"), now),
                        Optional.empty(), false, true);
            }
            case FAILED -> {
                InstanceStatus failed = new InstanceStatus(InstancePhase.FAILED, current.hostId(), spec.generation(), current.conditions());
                yield new Convergence(withCondition(failed, Condition.READY, Condition.FALSE, failureReason(last.get()),
                        last.get().failureReason().orElse(""), now), Optional.empty(), false, true);
            }
        };
    }

    /** The guest is not as the host last said it made it: show it as it is and ask for the spec again. */
    private static Convergence drifted(PowerSpec spec, InstanceStatus current, GuestObservation.ObservedPower observed, Instant now) {
        String wanted = spec.powerState() == PowerState.RUNNING ? "running" : "stopped";
        InstancePhase phase;
        String reason;
        String message;
        switch (observed) {
            case RUNNING -> {
                phase = InstancePhase.RUNNING;
                reason = "GuestRunning";
                message = "the host reports the guest running although it should be stopped; stopping it again";
            }
            case STOPPED -> {
                phase = InstancePhase.STOPPED;
                reason = "GuestStopped";
                message = "the host reports the guest stopped (powered off from inside, or by someone on the host) although it "
                        + "should be running; starting it again";
            }
            default -> {
                phase = InstancePhase.PROVISIONING;
                reason = "GuestMissing";
                message = "the host has no domain for the instance any more; defining it again, " + wanted;
            }
        }
        InstanceStatus shown = new InstanceStatus(phase, current.hostId(), current.observedGeneration(), current.conditions());
        return new Convergence(withCondition(shown, Condition.READY, Condition.FALSE, reason, message, now),
                Optional.of(HostCommand.Kind.PUT), false, true);
    }

    /**
     * {@code HostReachable=False} while the host is UNREACHABLE; once it is back the condition turns True rather than
     * disappearing, so the time it returned stays readable. Instances whose host was never lost carry no such condition.
     */
    private static InstanceStatus reachability(InstanceStatus status, Optional<String> hostUnreachable, Instant now) {
        if (hostUnreachable.isPresent()) {
            return withCondition(status, Condition.HOST_REACHABLE, Condition.FALSE, "HostUnreachable", hostUnreachable.get(), now);
        }
        if (status.condition(Condition.HOST_REACHABLE).isPresent()) {
            return withCondition(status, Condition.HOST_REACHABLE, Condition.TRUE, "HostReachable", "the host is heard from again", now);
        }
        return status;
    }

    private static InstanceStatus withCondition(InstanceStatus status, String type, String conditionStatus, String reason, String message,
                                                Instant now) {
        return new InstanceStatus(status.phase(), status.hostId(), status.observedGeneration(),
                with(status.conditions(), type, conditionStatus, reason, message, now));
    }

    /** The agent's failure code as a condition reason: {@code OPERATION_FAILED} reads {@code OperationFailed}. */
    static String failureReason(HostCommand command) {
        String code = command.failureCode().orElse("UNKNOWN");
        StringBuilder reason = new StringBuilder();
        for (String word : code.toLowerCase(Locale.ROOT).split("_")) {
            if (!word.isEmpty()) {
                reason.append(Character.toUpperCase(word.charAt(0))).append(word.substring(1));
            }
        }
        return reason.toString();
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
