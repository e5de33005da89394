package io.freehold.agent.guest;

import static io.freehold.agent.guest.Looks.look;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;

import io.freehold.agent.v1.LifecycleEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which facts separate two looks at one guest, and in which order; "absent" means no domain at that look. */
class LifecycleDiffTest {

    private static final String ID = "i-1";

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "appears running                   | absent              | running@7           | PROVISIONED STARTED",
            "appears off                       | absent              | off                 | PROVISIONED",
            "appears paused                    | absent              | paused@7            | PROVISIONED STARTED",
            "vanishes while running            | running@7           | absent              | STOPPED DELETED",
            "vanishes while off                | off                 | absent              | DELETED",
            "starts                            | off                 | running@7           | STARTED",
            "stops                             | running@7           | off                 | STOPPED",
            "runs on                           | running@7           | running@7           | ''",
            "stays off                         | off                 | off                 | ''",
            "restarted while nobody looked     | running@7           | running@9           | STOPPED STARTED",
            "paused: still holds its resources | running@7           | paused@7            | ''",
            "resumed                           | paused@7            | running@7           | ''",
            "shutting down (other)             | running@7           | other@7             | ''",
            "paused one forced off             | paused@7            | off                 | STOPPED",
            "resized while off                 | off                 | off 2/1024/10       | RESIZED",
            "resized and started               | off                 | running@8 2/1024/10 | RESIZED STARTED",
            "stopped with a new shape waiting  | running@7           | off 2/1024/10       | STOPPED RESIZED",
            "restarted with a new shape        | running@7           | running@9 4/2048/20 | STOPPED RESIZED STARTED",
            "disk grown while running          | running@7           | running@7 1/512/20  | RESIZED",
    })
    void factsOfOneGuest(String caseName, String before, String after, String expected) {
        Observation earlier = "absent".equals(before) ? look() : look(ID, before);
        Observation later = "absent".equals(after) ? look() : look(ID, after);

        assertThat(LifecycleDiff.between(earlier, later)).extracting(LifecycleFact::event).containsExactlyElementsOf(events(expected));
    }

    @Test
    void aGuestRunningUnderTheSameRuntimeIdAfterAHostRebootIsAnotherRun() {
        Observation beforeReboot = look(Looks.look().at(), "boot-1", ID, "running@1");
        Observation afterReboot = look(Looks.look().at(), "boot-2", ID, "running@1");

        assertThat(LifecycleDiff.between(beforeReboot, afterReboot)).extracting(LifecycleFact::event)
                .containsExactly(LifecycleEvent.LIFECYCLE_EVENT_STOPPED, LifecycleEvent.LIFECYCLE_EVENT_STARTED);
    }

    @Test
    void aStopOrDeletionCarriesTheGuestAsItWasAndTheRestAsItIs() {
        Observation earlier = look("i-a", "running@7", "i-b", "running@8");
        Observation later = look("i-a", "running@9 4/2048/20");

        List<LifecycleFact> facts = LifecycleDiff.between(earlier, later);

        assertThat(facts).containsExactly(
                new LifecycleFact(LifecycleEvent.LIFECYCLE_EVENT_STOPPED, earlier.guests().get("i-a")),
                new LifecycleFact(LifecycleEvent.LIFECYCLE_EVENT_RESIZED, later.guests().get("i-a")),
                new LifecycleFact(LifecycleEvent.LIFECYCLE_EVENT_STARTED, later.guests().get("i-a")),
                new LifecycleFact(LifecycleEvent.LIFECYCLE_EVENT_STOPPED, earlier.guests().get("i-b")),
                new LifecycleFact(LifecycleEvent.LIFECYCLE_EVENT_DELETED, earlier.guests().get("i-b")));
    }

    @Test
    void theFirstLookOfAnAgentWithoutLedgerProvisionsWhatExistsAndStartsWhatRuns() {
        Observation first = look("i-b", "off", "i-a", "running@3");

        assertThat(LifecycleDiff.between(Observation.none(), first)).extracting(f -> f.guest().instanceId() + " " + f.event())
                .containsExactly("i-a LIFECYCLE_EVENT_PROVISIONED", "i-a LIFECYCLE_EVENT_STARTED", "i-b LIFECYCLE_EVENT_PROVISIONED");
    }

    private static List<LifecycleEvent> events(String names) {
        if (names == null || names.isBlank()) {
            return List.of();
        }
        return Arrays.stream(names.trim().split("\\s+")).map(name -> LifecycleEvent.valueOf("LIFECYCLE_EVENT_" + name)).toList();
    }
}
