package io.freehold.controlplane.compute.decision;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import io.freehold.controlplane.compute.decision.GuestObservation.ObservedPower;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** The instance lifecycle's decisions, case by named case. */
class InstanceDecisionsTest {

    private static final Instant EARLIER = Instant.parse("2026-11-28T10:00:00Z");
    private static final Instant NOW = Instant.parse("2026-11-28T10:05:00Z");
    private static final String HOST = "h-01jh8m3a7k2p9r4s6t8v0w2x4y";

    private static final InstanceStatus PENDING = InstanceStatus.pending();
    private static final InstanceStatus PENDING_UNSCHEDULABLE = new InstanceStatus(InstancePhase.PENDING, null, 0,
            List.of(new Condition(Condition.SCHEDULED, Condition.FALSE, "Unschedulable", "0 of 3 hosts fit: 3 insufficient memory", EARLIER)));
    private static final InstanceStatus SCHEDULED = new InstanceStatus(InstancePhase.SCHEDULED, HOST, 0,
            List.of(new Condition(Condition.SCHEDULED, Condition.TRUE, "Placed", "placed on " + HOST, EARLIER)));
    private static final InstanceStatus DELETING = new InstanceStatus(InstancePhase.DELETING, HOST, 0, SCHEDULED.conditions());

    /**
     * @param expectedCondition the Scheduled condition after the decision, or null for none
     */
    record Case(String name, InstanceStatus current, ReservationOutcome outcome, InstancePhase phase, String host, boolean settled,
                Condition expectedCondition) {

        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> schedulingCases() {
        return Stream.of(
                new Case("a pending instance that got a host is SCHEDULED there, Scheduled=True with the explanation",
                        PENDING, ReservationOutcome.placed(HOST, "placed on " + HOST + " (2 of 3 hosts fit)"), InstancePhase.SCHEDULED, HOST, true,
                        new Condition(Condition.SCHEDULED, Condition.TRUE, "Placed", "placed on " + HOST + " (2 of 3 hosts fit)", NOW)),
                new Case("a pending instance nothing fits stays PENDING, Scheduled=False Unschedulable, and is tried again",
                        PENDING, ReservationOutcome.noFit("0 of 3 hosts fit: 3 insufficient memory"), InstancePhase.PENDING, null, false,
                        new Condition(Condition.SCHEDULED, Condition.FALSE, "Unschedulable", "0 of 3 hosts fit: 3 insufficient memory", NOW)),
                new Case("a pending instance past its tenant's quota stays PENDING, Scheduled=False QuotaExceeded",
                        PENDING, ReservationOutcome.quotaExceeded("the quota has no room for vcpus"), InstancePhase.PENDING, null, false,
                        new Condition(Condition.SCHEDULED, Condition.FALSE, "QuotaExceeded", "the quota has no room for vcpus", NOW)),
                new Case("a pending instance whose spec placement refuses stays PENDING, Scheduled=False InvalidSpec",
                        PENDING, ReservationOutcome.refused("placementGroupId: no placement group pg-x"), InstancePhase.PENDING, null, false,
                        new Condition(Condition.SCHEDULED, Condition.FALSE, "InvalidSpec", "placementGroupId: no placement group pg-x", NOW)),
                new Case("still unschedulable: the message is news, the transition time is not",
                        PENDING_UNSCHEDULABLE, ReservationOutcome.noFit("0 of 4 hosts fit: 4 cordoned"), InstancePhase.PENDING, null, false,
                        new Condition(Condition.SCHEDULED, Condition.FALSE, "Unschedulable", "0 of 4 hosts fit: 4 cordoned", EARLIER)),
                new Case("unschedulable, then over quota: same status, new reason, the transition time stays",
                        PENDING_UNSCHEDULABLE, ReservationOutcome.quotaExceeded("the quota has no room for instances"), InstancePhase.PENDING,
                        null, false, new Condition(Condition.SCHEDULED, Condition.FALSE, "QuotaExceeded", "the quota has no room for instances",
                        EARLIER)),
                new Case("unschedulable, then placed: the condition turns True now",
                        PENDING_UNSCHEDULABLE, ReservationOutcome.placed(HOST, "placed on " + HOST), InstancePhase.SCHEDULED, HOST, true,
                        new Condition(Condition.SCHEDULED, Condition.TRUE, "Placed", "placed on " + HOST, NOW)),
                new Case("an instance already SCHEDULED is not this step's business and is left alone",
                        SCHEDULED, ReservationOutcome.noFit("whatever"), InstancePhase.SCHEDULED, HOST, true, SCHEDULED.conditions().get(0)),
                new Case("an instance being deleted is left alone, even when a host was found",
                        DELETING, ReservationOutcome.placed("h-other", "placed on h-other"), InstancePhase.DELETING, HOST, true,
                        DELETING.conditions().get(0)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("schedulingCases")
    void scheduling(Case c) {
        StatusChange change = InstanceDecisions.decide(c.current(), c.outcome(), NOW);

        assertThat(change.status().phase()).isEqualTo(c.phase());
        assertThat(change.status().hostId()).isEqualTo(c.host());
        assertThat(change.settled()).isEqualTo(c.settled());
        assertThat(change.status().observedGeneration()).as("scheduling observes no generation").isEqualTo(c.current().observedGeneration());
        assertThat(change.status().conditions()).as("one condition per type").hasSize(1);
        assertThat(change.status().condition(Condition.SCHEDULED)).contains(c.expectedCondition());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("deletionCases")
    void deletion(String name, InstanceStatus status, InstanceDecisions.Deletion expected) {
        assertThat(InstanceDecisions.onDelete(status)).isEqualTo(expected);
    }

    static Stream<Arguments> deletionCases() {
        return Stream.of(
                Arguments.of("never reached a host: removed at once", PENDING, InstanceDecisions.Deletion.REMOVE_NOW),
                Arguments.of("waiting with a reason: still nowhere, removed at once", PENDING_UNSCHEDULABLE, InstanceDecisions.Deletion.REMOVE_NOW),
                Arguments.of("placed: waits for its host's agent", SCHEDULED, InstanceDecisions.Deletion.AWAIT_HOST));
    }

    @ParameterizedTest(name = "{0}: {1} {2} on generation 3 → {3} {4}, generation {5}, reboots {6}")
    @CsvSource(nullValues = "-", value = {
            "start a stopped one,           STOPPED,  START,  true,  running, 4, 1, -",
            "start a running one (no-op),   RUNNING,  START,  false, running, 3, 1, -",
            "stop a running one,            RUNNING,  STOP,   true,  stopped, 4, 1, -",
            "stop a stopped one (no-op),    STOPPED,  STOP,   false, stopped, 3, 1, -",
            "reboot a running one,          RUNNING,  REBOOT, true,  running, 4, 2, -",
            "reboot a stopped one,          STOPPED,  REBOOT, false, stopped, 3, 1, the instance is stopped; start it instead of rebooting"})
    void powerActions(String name, PowerState power, PowerAction action, boolean changed, String powerAfter, long generation, long reboots,
                      String refusal) {
        InstanceDecisions.ActionOutcome outcome = InstanceDecisions.act(new PowerSpec(3, power, 1), InstancePhase.SCHEDULED, action);

        assertThat(outcome.changed()).isEqualTo(changed);
        assertThat(outcome.spec()).isEqualTo(new PowerSpec(generation, PowerState.fromWireName(powerAfter), reboots));
        assertThat(outcome.refusal()).isEqualTo(Optional.ofNullable(refusal));
    }

    @ParameterizedTest(name = "{0} an instance being deleted is refused")
    @CsvSource({"START", "STOP", "REBOOT"})
    void nothingIsDoneToAnInstanceBeingDeleted(PowerAction action) {
        InstanceDecisions.ActionOutcome outcome = InstanceDecisions.act(new PowerSpec(2, PowerState.RUNNING, 0), InstancePhase.DELETING, action);

        assertThat(outcome.changed()).isFalse();
        assertThat(outcome.refusal()).contains("the instance is being deleted");
    }
    /**
     * @param send the command written, or null for none
     * @param reason the condition's reason after the step (Ready for placed ones, Deleted for deleting ones), or null when unchanged
     */
    record Convergence(String name, PowerSpec spec, InstanceStatus current, HostCommand last, GuestObservation seen, InstancePhase phase,
                       long observed, HostCommand.Kind send, boolean remove, boolean settled, String reason) {

        /** A case where the host reported nothing since. */
        Convergence(String name, PowerSpec spec, InstanceStatus current, HostCommand last, InstancePhase phase, long observed,
                    HostCommand.Kind send, boolean remove, boolean settled, String reason) {
            this(name, spec, current, last, null, phase, observed, send, remove, settled, reason);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    private static final PowerSpec RUNNING_2 = new PowerSpec(2, PowerState.RUNNING, 0);
    private static final PowerSpec STOPPED_3 = new PowerSpec(3, PowerState.STOPPED, 0);
    private static final InstanceStatus PROVISIONING = new InstanceStatus(InstancePhase.PROVISIONING, HOST, 0, SCHEDULED.conditions());
    private static final InstanceStatus RUNNING_AT_2 = new InstanceStatus(InstancePhase.RUNNING, HOST, 2, SCHEDULED.conditions());

    private static HostCommand put(long generation, HostCommand.State state) {
        return new HostCommand(HostCommand.Kind.PUT, generation, state, Optional.empty(), Optional.empty(), seqOf(generation));
    }

    /** Commands of these cases: generation g was command seq 10 g of the host's log. */
    private static long seqOf(long generation) {
        return 10 * generation;
    }

    private static HostCommand failed(HostCommand.Kind kind, long generation) {
        return new HostCommand(kind, generation, HostCommand.State.FAILED, Optional.of("OPERATION_FAILED"), Optional.of("domain is locked"),
                seqOf(generation));
    }

    static Stream<Convergence> convergenceCases() {
        HostCommand deletePending = new HostCommand(HostCommand.Kind.DELETE, 2, HostCommand.State.PENDING, Optional.empty(), Optional.empty(),
                seqOf(2) + 1);
        HostCommand deleted = new HostCommand(HostCommand.Kind.DELETE, 2, HostCommand.State.SUCCEEDED, Optional.empty(), Optional.empty(),
                seqOf(2) + 1);
        return Stream.of(
                new Convergence("a SCHEDULED instance gets its first PutGuest and is PROVISIONING", RUNNING_2, SCHEDULED, null,
                        InstancePhase.PROVISIONING, 0, HostCommand.Kind.PUT, false, true, null),
                new Convergence("its command pending: wait for the answer", RUNNING_2, PROVISIONING, put(2, HostCommand.State.PENDING),
                        InstancePhase.PROVISIONING, 0, null, false, true, null),
                new Convergence("the host ran it: RUNNING, generation observed, Ready", RUNNING_2, PROVISIONING,
                        put(2, HostCommand.State.SUCCEEDED), InstancePhase.RUNNING, 2, null, false, true, "Converged"),
                new Convergence("the host stopped it as asked: STOPPED", STOPPED_3, RUNNING_AT_2, put(3, HostCommand.State.SUCCEEDED),
                        InstancePhase.STOPPED, 3, null, false, true, "Converged"),
                new Convergence("the host could not: FAILED with its code as the reason", RUNNING_2, PROVISIONING,
                        failed(HostCommand.Kind.PUT, 2), InstancePhase.FAILED, 2, null, false, true, "OperationFailed"),
                new Convergence("a newer generation than the last command: a new PutGuest, the phase stays until the host answers",
                        STOPPED_3, RUNNING_AT_2, put(2, HostCommand.State.SUCCEEDED), InstancePhase.RUNNING, 2, HostCommand.Kind.PUT, false, true,
                        null),
                new Convergence("a failed instance started again: a new PutGuest", new PowerSpec(4, PowerState.RUNNING, 0),
                        new InstanceStatus(InstancePhase.FAILED, HOST, 3, SCHEDULED.conditions()), failed(HostCommand.Kind.PUT, 3),
                        InstancePhase.FAILED, 3, HostCommand.Kind.PUT, false, true, null),
                new Convergence("deleted: one DeleteGuest", RUNNING_2, new InstanceStatus(InstancePhase.DELETING, HOST, 2, SCHEDULED.conditions()),
                        put(2, HostCommand.State.SUCCEEDED), InstancePhase.DELETING, 2, HostCommand.Kind.DELETE, false, true, null),
                new Convergence("the delete pending: wait", RUNNING_2, new InstanceStatus(InstancePhase.DELETING, HOST, 2, SCHEDULED.conditions()),
                        deletePending, InstancePhase.DELETING, 2, null, false, true, null),
                new Convergence("the host removed it: the instance goes", RUNNING_2,
                        new InstanceStatus(InstancePhase.DELETING, HOST, 2, SCHEDULED.conditions()), deleted, InstancePhase.DELETING, 2, null,
                        true, true, "Removed"),
                new Convergence("the host could not remove it: say why, send it again later", RUNNING_2,
                        new InstanceStatus(InstancePhase.DELETING, HOST, 2, SCHEDULED.conditions()), failed(HostCommand.Kind.DELETE, 2),
                        InstancePhase.DELETING, 2, HostCommand.Kind.DELETE, false, false, "OperationFailed"),
                new Convergence("no host: not this step's business", RUNNING_2, PENDING, null, InstancePhase.PENDING, 0, null, false, true,
                        null),
                new Convergence("running as the host last said: an observation agreeing with the spec changes nothing", RUNNING_2,
                        RUNNING_AT_2, put(2, HostCommand.State.SUCCEEDED), seen(ObservedPower.RUNNING, seqOf(2)), InstancePhase.RUNNING, 2,
                        null, false, true, "Converged"),
                new Convergence("powered off from inside after it was started: STOPPED as it is, Ready=False, started again",
                        RUNNING_2, RUNNING_AT_2, put(2, HostCommand.State.SUCCEEDED), seen(ObservedPower.STOPPED, seqOf(2) + 5),
                        InstancePhase.STOPPED, 2, HostCommand.Kind.PUT, false, true, "GuestStopped"),
                new Convergence("its domain removed behind Freehold's back: PROVISIONING, defined again", RUNNING_2, RUNNING_AT_2,
                        put(2, HostCommand.State.SUCCEEDED), seen(ObservedPower.ABSENT, seqOf(2)), InstancePhase.PROVISIONING, 2,
                        HostCommand.Kind.PUT, false, true, "GuestMissing"),
                new Convergence("started behind Freehold's back while it should be stopped: RUNNING as it is, stopped again", STOPPED_3,
                        new InstanceStatus(InstancePhase.STOPPED, HOST, 3, SCHEDULED.conditions()), put(3, HostCommand.State.SUCCEEDED),
                        seen(ObservedPower.RUNNING, seqOf(3)), InstancePhase.RUNNING, 3, HostCommand.Kind.PUT, false, true, "GuestRunning"),
                new Convergence("an observation from before the last command was applied is old news", STOPPED_3, RUNNING_AT_2,
                        put(3, HostCommand.State.SUCCEEDED), seen(ObservedPower.RUNNING, seqOf(3) - 1), InstancePhase.STOPPED, 3, null, false,
                        true, "Converged"),
                new Convergence("a guest seen stopped while its command is pending: wait for the answer", RUNNING_2, PROVISIONING,
                        put(2, HostCommand.State.PENDING), seen(ObservedPower.STOPPED, seqOf(2)), InstancePhase.PROVISIONING, 0, null, false,
                        true, null),
                new Convergence("a deleting instance whose guest is gone already still gets its DeleteGuest", RUNNING_2,
                        new InstanceStatus(InstancePhase.DELETING, HOST, 2, SCHEDULED.conditions()), put(2, HostCommand.State.SUCCEEDED),
                        seen(ObservedPower.ABSENT, seqOf(2)), InstancePhase.DELETING, 2, HostCommand.Kind.DELETE, false, true, null));
    }

    private static GuestObservation seen(ObservedPower power, long appliedSeq) {
        return new GuestObservation(power, appliedSeq);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("convergenceCases")
    void provisioning(Convergence c) {
        io.freehold.controlplane.compute.decision.Convergence result = InstanceDecisions.converge(c.spec(), c.current(),
                Optional.ofNullable(c.last()), Optional.ofNullable(c.seen()), Optional.empty(), NOW);

        assertThat(result.status().phase()).isEqualTo(c.phase());
        assertThat(result.status().observedGeneration()).isEqualTo(c.observed());
        assertThat(result.send()).isEqualTo(Optional.ofNullable(c.send()));
        assertThat(result.remove()).isEqualTo(c.remove());
        assertThat(result.settled()).isEqualTo(c.settled());
        String type = c.current().phase() == InstancePhase.DELETING ? Condition.DELETED : Condition.READY;
        if (c.reason() == null) {
            assertThat(result.status().condition(type)).isEqualTo(c.current().condition(type));
        } else {
            assertThat(result.status().condition(type)).hasValueSatisfying(condition -> assertThat(condition.reason()).isEqualTo(c.reason()));
        }
    }

    @Test
    void anInstanceOnAnUnreachableHostSaysSoAndKeepsItsLastKnownPhase() {
        io.freehold.controlplane.compute.decision.Convergence lost = InstanceDecisions.converge(RUNNING_2, RUNNING_AT_2,
                Optional.of(put(2, HostCommand.State.SUCCEEDED)), Optional.empty(), Optional.of("host h is UNREACHABLE"), NOW);

        assertThat(lost.status().phase()).isEqualTo(InstancePhase.RUNNING);
        assertThat(lost.status().condition(Condition.HOST_REACHABLE)).contains(
                new Condition(Condition.HOST_REACHABLE, Condition.FALSE, "HostUnreachable", "host h is UNREACHABLE", NOW));
        assertThat(lost.send()).isEmpty();
    }

    @Test
    void whenTheHostIsBackTheConditionTurnsTrueAtThatTime() {
        InstanceStatus lostEarlier = new InstanceStatus(InstancePhase.RUNNING, HOST, 2, List.of(
                new Condition(Condition.HOST_REACHABLE, Condition.FALSE, "HostUnreachable", "host h is UNREACHABLE", EARLIER)));

        io.freehold.controlplane.compute.decision.Convergence back = InstanceDecisions.converge(RUNNING_2, lostEarlier,
                Optional.of(put(2, HostCommand.State.SUCCEEDED)), Optional.empty(), Optional.empty(), NOW);

        assertThat(back.status().condition(Condition.HOST_REACHABLE)).hasValueSatisfying(condition -> {
            assertThat(condition.status()).isEqualTo(Condition.TRUE);
            assertThat(condition.lastTransitionTime()).isEqualTo(NOW);
        });
    }

    @Test
    void anInstanceWhoseHostWasNeverLostHasNoReachabilityCondition() {
        io.freehold.controlplane.compute.decision.Convergence result = InstanceDecisions.converge(RUNNING_2, RUNNING_AT_2,
                Optional.of(put(2, HostCommand.State.SUCCEEDED)), Optional.empty(), Optional.empty(), NOW);

        assertThat(result.status().condition(Condition.HOST_REACHABLE)).isEmpty();
    }
}
