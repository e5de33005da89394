package io.freehold.controlplane.compute.decision;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import io.freehold.controlplane.compute.decision.ResizeDecisions.Refusal;
import io.freehold.controlplane.compute.decision.ResizeDecisions.Shape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Resizes as spec changes, and the Resized condition the host's answers settle, case by named case. */
class ResizeDecisionsTest {

    private static final Instant EARLIER = Instant.parse("2026-11-28T10:00:00Z");
    private static final Instant NOW = Instant.parse("2026-11-28T10:05:00Z");
    private static final String HOST = "h-01jh8m3a7k2p9r4s6t8v0w2x4y";

    private static final Shape SMALL = new Shape("fl-small", 1, 1024, 20);
    private static final Shape LARGE = new Shape("fl-large", 4, 8192, 40);
    private static final Shape LARGE_TWIN = new Shape("fl-large-twin", 4, 8192, 40);
    private static final Shape TINY_DISK = new Shape("fl-tiny-disk", 8, 16_384, 10);
    private static final PowerSpec STOPPED_5 = new PowerSpec(5, PowerState.STOPPED, 2);
    private static final PowerSpec RUNNING_5 = new PowerSpec(5, PowerState.RUNNING, 2);

    /**
     * @param refusal the kind of refusal, or null when allowed
     * @param generation the generation after the resize
     */
    record Case(String name, PowerSpec spec, InstancePhase phase, Shape wanted, boolean changed, long generation, Refusal.Kind refusal) {

        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> resizeCases() {
        return Stream.of(
                new Case("a stopped instance is resized: one more generation", STOPPED_5, InstancePhase.STOPPED, LARGE, true, 6, null),
                new Case("to a smaller flavor with the same disk: memory and vCPUs may shrink", STOPPED_5, InstancePhase.STOPPED,
                        new Shape("fl-less", 1, 512, 20), true, 6, null),
                new Case("to another flavor of the same sizes: the flavor changes, a new generation", STOPPED_5, InstancePhase.STOPPED, LARGE_TWIN,
                        true, 6, null),
                new Case("a stopped instance whose last change failed may be resized (retry or undo)", STOPPED_5, InstancePhase.FAILED, LARGE,
                        true, 6, null),
                new Case("to the flavor it has: nothing changes", STOPPED_5, InstancePhase.STOPPED, SMALL, false, 5, null),
                new Case("to the flavor it has while running: nothing changes either (a retried resize is harmless)", RUNNING_5,
                        InstancePhase.RUNNING, SMALL, false, 5, null),
                new Case("a running instance is refused: stop it first", RUNNING_5, InstancePhase.RUNNING, LARGE, false, 5, Refusal.Kind.CONFLICT),
                new Case("a running instance failed is refused: its spec still wants it running", RUNNING_5, InstancePhase.FAILED, LARGE, false, 5,
                        Refusal.Kind.CONFLICT),
                new Case("asked to stop, not yet stopped by its host: refused until it is", STOPPED_5, InstancePhase.RUNNING, LARGE, false, 5,
                        Refusal.Kind.CONFLICT),
                new Case("stopped in its spec but not yet on a host: refused", STOPPED_5, InstancePhase.PENDING, LARGE, false, 5,
                        Refusal.Kind.CONFLICT),
                new Case("being deleted: refused", STOPPED_5, InstancePhase.DELETING, LARGE, false, 5, Refusal.Kind.CONFLICT),
                new Case("being deleted: refused even to its own flavor", STOPPED_5, InstancePhase.DELETING, SMALL, false, 5, Refusal.Kind.CONFLICT),
                new Case("a smaller root disk is refused, stopped or not: the flavor is unsuitable", STOPPED_5, InstancePhase.STOPPED, TINY_DISK,
                        false, 5, Refusal.Kind.UNSUITABLE_FLAVOR),
                new Case("a smaller root disk is refused before the state is looked at", RUNNING_5, InstancePhase.RUNNING, TINY_DISK, false, 5,
                        Refusal.Kind.UNSUITABLE_FLAVOR));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("resizeCases")
    void resize(Case c) {
        ResizeDecisions.Outcome outcome = ResizeDecisions.resize(c.spec(), c.phase(), SMALL, c.wanted());

        assertThat(outcome.changed()).isEqualTo(c.changed());
        assertThat(outcome.generation()).isEqualTo(c.generation());
        assertThat(outcome.refusal().map(Refusal::kind)).isEqualTo(Optional.ofNullable(c.refusal()));
    }

    @Test
    void theRefusalsSayWhatToDo() {
        assertThat(ResizeDecisions.resize(RUNNING_5, InstancePhase.RUNNING, SMALL, LARGE).refusal().orElseThrow().message())
                .isEqualTo("the instance is running; stop it, wait for phase STOPPED, then resize it");
        assertThat(ResizeDecisions.resize(STOPPED_5, InstancePhase.STOPPED, SMALL, TINY_DISK).refusal().orElseThrow().message())
                .isEqualTo("its 10 GiB root disk is smaller than the instance's 20 GiB; a root disk can only grow, so choose a flavor with at least "
                        + "20 GiB");
    }

    private static final InstanceStatus STOPPED_AT_5 = new InstanceStatus(InstancePhase.STOPPED, HOST, 5,
            List.of(new Condition(Condition.READY, Condition.TRUE, "Converged", "the host reports the guest stopped", EARLIER)));

    @Test
    void aResizeSaysToWhatAndFromWhatAndThatTheHostHasNotAnsweredYet() {
        InstanceStatus resizing = ResizeDecisions.resizing(STOPPED_AT_5, "m1.large", SMALL, LARGE, NOW);

        assertThat(resizing.phase()).as("the phase waits for the host").isEqualTo(InstancePhase.STOPPED);
        assertThat(resizing.observedGeneration()).isEqualTo(5);
        assertThat(resizing.condition(Condition.READY)).isEqualTo(STOPPED_AT_5.condition(Condition.READY));
        assertThat(resizing.condition(Condition.RESIZED)).contains(new Condition(Condition.RESIZED, Condition.UNKNOWN, "Resizing",
                "to m1.large (4 vCPUs, 8192 MiB memory, 40 GiB root disk) from 1 vCPU, 1024 MiB memory, 20 GiB root disk", NOW));
    }

    /**
     * @param phase the phase after the provisioning step
     * @param observed its observed generation; the spec's generation is 6
     * @param resized the Resized condition's status before the step
     * @param status the Resized condition's status after, or null when it is absent
     */
    record Settle(String name, InstancePhase phase, long observed, String resized, String status, String reason, Instant since) {

        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Settle> settleCases() {
        return Stream.of(
                new Settle("the host applied the resize's generation and reports the guest stopped: Resized=True", InstancePhase.STOPPED, 6,
                        Condition.UNKNOWN, Condition.TRUE, "Resized", NOW),
                new Settle("a later generation (a start) applied before the first was answered carries the size too: True", InstancePhase.RUNNING,
                        6, Condition.UNKNOWN, Condition.TRUE, "Resized", NOW),
                new Settle("the host could not apply it: Resized=False with the host's failure code", InstancePhase.FAILED, 6, Condition.UNKNOWN,
                        Condition.FALSE, "Storage", NOW),
                new Settle("a failed resize applied by a later generation: True after all", InstancePhase.STOPPED, 6, Condition.FALSE,
                        Condition.TRUE, "Resized", NOW),
                new Settle("still failing: False, and its transition time stays", InstancePhase.FAILED, 6, Condition.FALSE, Condition.FALSE,
                        "Storage", EARLIER),
                new Settle("the host has not answered the generation yet: still Unknown", InstancePhase.STOPPED, 5, Condition.UNKNOWN,
                        Condition.UNKNOWN, "Resizing", EARLIER),
                new Settle("resized before, now a start applied: True stays as it was", InstancePhase.RUNNING, 6, Condition.TRUE, Condition.TRUE,
                        "Resized", EARLIER),
                new Settle("being deleted: left alone", InstancePhase.DELETING, 6, Condition.UNKNOWN, Condition.UNKNOWN, "Resizing", EARLIER),
                new Settle("never resized: no Resized condition appears", InstancePhase.STOPPED, 6, null, null, null, null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("settleCases")
    void settle(Settle c) {
        String message = "to m1.large (4 vCPUs, 8192 MiB memory, 40 GiB root disk) from 1 vCPU, 1024 MiB memory, 20 GiB root disk";
        List<Condition> conditions = c.phase() == InstancePhase.FAILED
                ? List.of(new Condition(Condition.READY, Condition.FALSE, "Storage", "qemu-img resize: No space left on device", EARLIER))
                : List.of(new Condition(Condition.READY, Condition.TRUE, "Converged", "the host reports the guest stopped", EARLIER));
        if (c.resized() != null) {
            String before = c.resized().equals(Condition.FALSE) ? "Storage" : c.resized().equals(Condition.TRUE) ? "Resized" : "Resizing";
            conditions = Stream.concat(conditions.stream(), Stream.of(new Condition(Condition.RESIZED, c.resized(), before, message, EARLIER)))
                    .toList();
        }
        InstanceStatus status = new InstanceStatus(c.phase(), HOST, c.observed(), conditions);

        InstanceStatus settled = ResizeDecisions.settle(6, status, NOW);

        assertThat(settled.phase()).isEqualTo(status.phase());
        assertThat(settled.observedGeneration()).isEqualTo(status.observedGeneration());
        assertThat(settled.condition(Condition.READY)).isEqualTo(status.condition(Condition.READY));
        if (c.status() == null) {
            assertThat(settled.condition(Condition.RESIZED)).isEmpty();
        } else {
            assertThat(settled.condition(Condition.RESIZED)).contains(new Condition(Condition.RESIZED, c.status(), c.reason(), message, c.since()));
        }
    }
}
