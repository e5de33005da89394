package io.freehold.agent.guest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.freehold.agent.v1.GuestReport;
import io.freehold.agent.v1.LifecycleEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The guest ledger on disk: reports written before anyone sees them, forgotten only when acknowledged, kept with their
 * incarnation and seq across a restart, running time kept in milliseconds, and a damaged file survived.
 */
class GuestLedgerTest {

    private static final String BOOT = "boot-1";
    private static final Instant T0 = Instant.parse("2026-11-29T10:00:00Z");

    @TempDir
    Path state;

    @Test
    void theFirstLookWithoutAFileReportsWhatExistsAndWritesItBeforeReturning() throws Exception {
        GuestLedger ledger = open("inc-1");

        List<GuestReport> reports = ledger.look(inventory("i-a", "running@7", "i-b", "off"), T0, 0, BOOT);

        assertThat(reports).extracting(GuestReport::getInstanceId, GuestReport::getEvent, GuestReport::getReportSeq,
                GuestReport::getIncarnationId).containsExactly(
                        tuple("i-a", LifecycleEvent.LIFECYCLE_EVENT_PROVISIONED, 1L, "inc-1"),
                        tuple("i-a", LifecycleEvent.LIFECYCLE_EVENT_STARTED, 2L, "inc-1"),
                        tuple("i-b", LifecycleEvent.LIFECYCLE_EVENT_PROVISIONED, 3L, "inc-1"));
        GuestReport started = reports.get(1);
        assertThat(started.getTenantId()).isEqualTo("t-i-a");
        assertThat(started.getShape().getMemoryMib()).isEqualTo(512);
        assertThat(started.getObservedAt().getSeconds()).isEqualTo(T0.getEpochSecond());
        assertThat(LedgerFile.decode(Files.readString(file())).pending()).isEqualTo(reports);
        assertThat(ledger.view().pending()).isEqualTo(reports);
    }

    @Test
    void aLookAtOneGuestReportsItsFactsAloneAndCountsRunningTimeAsWholeLooksWould() throws Exception {
        GuestLedger ledger = open("inc-1");
        ledger.look(inventory("i-a", "running@7", "i-b", "running@8"), T0, 0, BOOT);

        List<GuestReport> reports = ledger.lookAt("i-c", inventory("i-c", "running@9"), T0.plusMillis(400), 400, BOOT);
        assertThat(reports).extracting(GuestReport::getInstanceId, GuestReport::getEvent, GuestReport::getReportSeq).containsExactly(
                tuple("i-c", LifecycleEvent.LIFECYCLE_EVENT_PROVISIONED, 5L), tuple("i-c", LifecycleEvent.LIFECYCLE_EVENT_STARTED, 6L));
        // i-b stopped unseen at some moment: the next whole look finds it, as it would have without the look at i-c.
        List<GuestReport> whole = ledger.look(inventory("i-a", "running@7", "i-b", "off", "i-c", "running@9"),
                T0.plusSeconds(1), 1_000, BOOT);

        assertThat(whole).extracting(GuestReport::getInstanceId, GuestReport::getEvent)
                .containsExactly(tuple("i-b", LifecycleEvent.LIFECYCLE_EVENT_STOPPED));
        assertThat(counters(ledger)).containsExactly(counter("i-a", 1_000, PowerState.RUNNING),
                counter("i-b", 1_000, PowerState.SHUT_OFF), counter("i-c", 600, PowerState.RUNNING));
        assertThat(open("inc-2").view().pending()).as("on disk").hasSize(7);
    }

    @Test
    void aLookAtOneGuestThatIsGoneReportsItsEndAndNeedsAWholeLookFirst() throws Exception {
        GuestLedger ledger = open("inc-1");
        assertThatThrownBy(() -> ledger.lookAt("i-a", inventory(), T0, 0, BOOT)).isInstanceOf(IllegalStateException.class);
        ledger.look(inventory("i-a", "running@7", "i-b", "off"), T0, 0, BOOT);

        List<GuestReport> reports = ledger.lookAt("i-a", inventory(), T0.plusSeconds(1), 1_000, BOOT);

        assertThat(reports).extracting(GuestReport::getInstanceId, GuestReport::getEvent).containsExactly(
                tuple("i-a", LifecycleEvent.LIFECYCLE_EVENT_STOPPED), tuple("i-a", LifecycleEvent.LIFECYCLE_EVENT_DELETED));
        assertThat(ledger.view().guests()).extracting(GuestInventory.Guest::instanceId).containsExactly("i-b");
        assertThatThrownBy(() -> ledger.lookAt("i-a", inventory("i-b", "off"), T0, 0, BOOT))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("found other domains");
    }

    @Test
    void anAcknowledgementForgetsExactlyThatReportAndOnlyOnce() throws Exception {
        GuestLedger ledger = open("inc-1");
        List<GuestReport> reports = ledger.look(inventory("i-a", "running@7"), T0, 0, BOOT);

        assertThat(ledger.acknowledge("inc-1", 1)).isTrue();
        assertThat(ledger.acknowledge("inc-1", 1)).as("already forgotten").isFalse();
        assertThat(ledger.acknowledge("inc-other", 2)).as("another incarnation's seq 2").isFalse();

        assertThat(ledger.view().pending()).containsExactly(reports.get(1));
        assertThat(open("inc-2").view().pending()).as("on disk too").containsExactly(reports.get(1));
    }

    @Test
    void afterARestartPendingReportsAreKeptUnchangedAndTheNewIncarnationNumbersFromOne() throws Exception {
        GuestLedger first = open("inc-1");
        List<GuestReport> before = first.look(inventory("i-a", "running@7"), T0, 0, BOOT);

        GuestLedger second = open("inc-2");
        assertThat(second.view().pending()).isEqualTo(before);
        assertThat(second.view().observed()).as("not looked in this process yet").isFalse();
        List<GuestReport> after = second.look(inventory("i-a", "off"), T0.plusSeconds(60), 5, BOOT);

        assertThat(after).extracting(GuestReport::getIncarnationId, GuestReport::getReportSeq, GuestReport::getEvent)
                .containsExactly(tuple("inc-2", 1L, LifecycleEvent.LIFECYCLE_EVENT_STOPPED));
        List<GuestReport> all = new ArrayList<>(before);
        all.addAll(after);
        assertThat(second.view().pending()).isEqualTo(all);
        assertThat(open("inc-3").view().pending()).isEqualTo(all);
    }

    @Test
    void aRunThatEndedWhileNoAgentLookedIsDatedAtTheLastLookBeforeTheRestart() {
        open("inc-1").look(inventory("i-a", "running@7"), T0, 0, BOOT);

        List<GuestReport> after = open("inc-2").look(inventory("i-a", "running@9"), T0.plusSeconds(600), 0, BOOT);

        assertThat(after).extracting(GuestReport::getEvent, r -> r.getObservedAt().getSeconds()).containsExactly(
                tuple(LifecycleEvent.LIFECYCLE_EVENT_STOPPED, T0.getEpochSecond()),
                tuple(LifecycleEvent.LIFECYCLE_EVENT_STARTED, T0.plusSeconds(600).getEpochSecond()));
    }

    @Test
    void runningTimeGrowsOnTheMonotonicClockAndAcrossARestartOnlyForAGuestThatRanOn() {
        GuestLedger first = open("inc-1");
        first.look(inventory("i-a", "running@7", "i-b", "running@8"), T0, 1_000, BOOT);
        first.look(inventory("i-a", "running@7", "i-b", "running@8"), T0.plusSeconds(99), 3_500, BOOT);
        assertThat(counters(first)).containsExactly(counter("i-a", 2_500, PowerState.RUNNING), counter("i-b", 2_500, PowerState.RUNNING));

        GuestLedger second = open("inc-2");
        assertThat(counters(second)).as("kept, power unknown until the first look")
                .containsExactly(counter("i-a", 2_500, null), counter("i-b", 2_500, null));
        second.look(inventory("i-a", "running@7", "i-b", "running@11"), T0.plusSeconds(99 + 60), 0, BOOT);

        assertThat(counters(second)).containsExactly(counter("i-a", 62_500, PowerState.RUNNING), counter("i-b", 2_500, PowerState.RUNNING));
    }

    @Test
    void aDeletedGuestsCounterStaysUntilItsDeletionIsAcknowledged() {
        GuestLedger ledger = open("inc-1");
        ledger.look(inventory("i-a", "running@7"), T0, 0, BOOT);
        List<GuestReport> gone = ledger.look(inventory(), T0.plusSeconds(1), 1_000, BOOT);
        assertThat(gone).extracting(GuestReport::getEvent)
                .containsExactly(LifecycleEvent.LIFECYCLE_EVENT_STOPPED, LifecycleEvent.LIFECYCLE_EVENT_DELETED);

        assertThat(counters(ledger)).containsExactly(counter("i-a", 1_000, null));
        ledger.acknowledge("inc-1", gone.get(0).getReportSeq());
        assertThat(counters(ledger)).as("the STOPPED is not the deletion").hasSize(1);
        ledger.acknowledge("inc-1", gone.get(1).getReportSeq());
        assertThat(counters(ledger)).isEmpty();
    }

    @Test
    void aLookThatFindsNothingNewWritesNothing() throws Exception {
        GuestLedger ledger = open("inc-1");
        ledger.look(inventory("i-a", "off"), T0, 0, BOOT);
        Files.delete(file());

        ledger.look(inventory("i-a", "off"), T0.plusSeconds(1), 1_000, BOOT);
        assertThat(file()).doesNotExist();

        ledger.commandApplied(4);
        ledger.look(inventory("i-a", "off"), T0.plusSeconds(2), 2_000, BOOT);
        assertThat(LedgerFile.decode(Files.readString(file())).lastLook().appliedSeq()).isEqualTo(4);
        assertThat(ledger.view().appliedSeq()).isEqualTo(4);
    }

    @Test
    void aLookThatCannotBeWrittenRecordsNothingAndTheNextLookReportsTheSameFacts() throws Exception {
        GuestLedger ledger = open("inc-1");
        // A non-empty directory where the file belongs makes the atomic rename fail, even for root.
        Files.createDirectories(file().resolve("blocker"));

        assertThatThrownBy(() -> ledger.look(inventory("i-a", "running@7"), T0, 0, BOOT)).isInstanceOf(UncheckedIOException.class);
        assertThat(ledger.view().pending()).isEmpty();
        assertThat(ledger.view().observed()).isFalse();

        Files.delete(file().resolve("blocker"));
        Files.delete(file());
        List<GuestReport> reports = ledger.look(inventory("i-a", "running@7"), T0.plusSeconds(1), 1_000, BOOT);
        assertThat(reports).extracting(GuestReport::getReportSeq, GuestReport::getEvent).containsExactly(
                tuple(1L, LifecycleEvent.LIFECYCLE_EVENT_PROVISIONED),
                tuple(2L, LifecycleEvent.LIFECYCLE_EVENT_STARTED));
    }

    @Test
    void aFileCutShortIsKeptAsideAndTheAgentStartsAsWithoutOne() throws Exception {
        open("inc-1").look(inventory("i-a", "running@7"), T0, 0, BOOT);
        String whole = Files.readString(file());
        Files.writeString(file(), whole.substring(0, whole.length() / 2));

        GuestLedger ledger = open("inc-2");

        assertThat(state.resolve(GuestLedger.FILE_NAME + ".unreadable")).hasContent(whole.substring(0, whole.length() / 2));
        assertThat(ledger.view().pending()).isEmpty();
        assertThat(ledger.look(inventory("i-a", "running@7"), T0.plusSeconds(1), 0, BOOT)).extracting(GuestReport::getEvent)
                .containsExactly(LifecycleEvent.LIFECYCLE_EVENT_PROVISIONED, LifecycleEvent.LIFECYCLE_EVENT_STARTED);
    }

    @Test
    void aWriteInterruptedByACrashLeavesTheOldFileWhichIsReadAndItsTempFileWhichIsRemoved() throws Exception {
        GuestLedger first = open("inc-1");
        List<GuestReport> reports = first.look(inventory("i-a", "running@7"), T0, 0, BOOT);
        Path temp = state.resolve("." + GuestLedger.FILE_NAME + ".4711.tmp");
        Files.writeString(temp, "freehold-guest-ledger 1\nlook 17");

        GuestLedger second = open("inc-2");

        assertThat(second.view().pending()).isEqualTo(reports);
        assertThat(temp).doesNotExist();
    }

    private GuestLedger open(String incarnation) {
        return GuestLedger.open(file(), incarnation);
    }

    private Path file() {
        return state.resolve(GuestLedger.FILE_NAME);
    }

    private static GuestInventory inventory(String... idsAndStates) {
        return new GuestInventory(List.copyOf(Looks.look(idsAndStates).guests().values()), List.of());
    }

    private static List<LedgerView.Counter> counters(GuestLedger ledger) {
        return ledger.view().counters();
    }

    private static LedgerView.Counter counter(String id, long millis, PowerState power) {
        return new LedgerView.Counter(id, millis, Optional.ofNullable(power));
    }
}
