package io.freehold.controlplane.compute.decision;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

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
}
