package io.freehold.agent.guest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.freehold.agent.v1.Command;
import io.freehold.agent.v1.CommandResult;
import io.freehold.agent.v1.DeleteGuest;
import io.freehold.agent.v1.GuestReport;
import io.freehold.agent.v1.LifecycleEvent;
import io.freehold.agent.v1.PowerState;
import io.freehold.agent.v1.PutGuest;
import io.freehold.agent.v1.ReportAck;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.libvirt.Connect;
import org.libvirt.Domain;
import org.libvirt.ErrorCallback;
import org.libvirt.LibvirtException;

/**
 * The command runner's looks at libvirt's test driver turning a guest's life into lifecycle reports, in order and
 * numbered from 1, and into a running time that grows only while the guest runs.
 */
class GuestWatcherTest {

    private static final String ID = "i-gw-web-1";
    private static final Duration LOOK_EVERY = Duration.ofMillis(100);

    @TempDir
    Path storage;
    @TempDir
    Path state;
    private Connect observer;
    private CommandRunner runner;
    private GuestWatcher watcher;
    private final List<LedgerView> published = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws LibvirtException {
        Connect.setErrorCallback(new ErrorCallback());
        observer = new Connect("test:///default");
        watcher = new GuestWatcher(GuestLedger.open(state.resolve(GuestLedger.FILE_NAME), "inc-1"), Clock.systemUTC(),
                () -> System.nanoTime() / 1_000_000, "boot-1");
        watcher.subscribe(published::add);
        runner = new CommandRunner("test:///default", storage, () -> false, new TestImages(storage), watcher, LOOK_EVERY);
    }

    @AfterEach
    void stop() throws LibvirtException {
        runner.close();
        for (Domain domain : observer.listAllDomains(0)) {
            if (!domain.getName().equals("test")) {
                if (domain.isActive() == 1) {
                    domain.destroy();
                }
                domain.undefine();
            }
        }
        observer.close();
    }

    @Test
    void aGuestsLifeBecomesNumberedReportsInOrderEachCarryingTheCommandThatCausedIt() throws Exception {
        answer(put(1, 1, PowerState.POWER_STATE_RUNNING));
        answer(put(2, 2, PowerState.POWER_STATE_STOPPED));
        answer(put(3, 3, PowerState.POWER_STATE_RUNNING));
        answer(Command.newBuilder().setSeq(4).setCommandId("cmd-4")
                .setDeleteGuest(DeleteGuest.newBuilder().setInstanceId(ID).setGeneration(3)).build());

        List<GuestReport> reports = watcher.view().pending();
        assertThat(reports).extracting(GuestReport::getReportSeq, GuestReport::getEvent, GuestReport::getAppliedSeq,
                GuestReport::getGeneration).containsExactly(
                        tuple(1L, LifecycleEvent.LIFECYCLE_EVENT_PROVISIONED, 1L, 1L),
                        tuple(2L, LifecycleEvent.LIFECYCLE_EVENT_STARTED, 1L, 1L),
                        tuple(3L, LifecycleEvent.LIFECYCLE_EVENT_STOPPED, 2L, 1L),
                        tuple(4L, LifecycleEvent.LIFECYCLE_EVENT_STARTED, 3L, 3L),
                        tuple(5L, LifecycleEvent.LIFECYCLE_EVENT_STOPPED, 4L, 3L),
                        tuple(6L, LifecycleEvent.LIFECYCLE_EVENT_DELETED, 4L, 3L));
        assertThat(reports).allSatisfy(report -> {
            assertThat(report.getIncarnationId()).isEqualTo("inc-1");
            assertThat(report.getInstanceId()).isEqualTo(ID);
            assertThat(report.getTenantId()).isEqualTo("t-test");
            assertThat(report.getShape().getVcpus()).isEqualTo(2);
            assertThat(report.getShape().getMemoryMib()).isEqualTo(256);
            assertThat(report.getShape().getRootDiskGib()).isEqualTo(1);
        });
        assertThat(reports).extracting(r -> r.getObservedAt().getSeconds() * 1_000_000_000L + r.getObservedAt().getNanos())
                .isSorted();
        assertThat(watcher.view().appliedSeq()).isEqualTo(4);
    }

    @Test
    void theRunningTimeGrowsWhileTheGuestRunsAndStandsStillWhileItIsOff() throws Exception {
        answer(put(1, 1, PowerState.POWER_STATE_RUNNING));
        long atStart = runningMillis();
        await().atMost(5, TimeUnit.SECONDS).until(() -> runningMillis() >= atStart + 500);

        answer(put(2, 2, PowerState.POWER_STATE_STOPPED));
        long atStop = runningMillis();
        Thread.sleep(5 * LOOK_EVERY.toMillis());

        assertThat(runningMillis()).isEqualTo(atStop).isGreaterThanOrEqualTo(atStart + 500);
        assertThat(watcher.view().counters()).singleElement()
                .satisfies(counter -> assertThat(counter.power()).contains(io.freehold.agent.guest.PowerState.SHUT_OFF));
    }

    @Test
    void anAcknowledgedReportIsForgottenOnTheRunnersThread() throws Exception {
        answer(put(1, 1, PowerState.POWER_STATE_RUNNING));

        runner.acknowledge(ReportAck.newBuilder().setIncarnationId("inc-1").setReportSeq(1).build());

        await().atMost(5, TimeUnit.SECONDS).until(() -> watcher.view().pending().size() == 1);
        assertThat(watcher.view().pending()).extracting(GuestReport::getReportSeq).containsExactly(2L);
        assertThat(published).isNotEmpty();
    }

    @Test
    void looksThatCannotReachLibvirtAreRetriedAndCommandsAreStillAnswered() throws Exception {
        runner.close();
        watcher = new GuestWatcher(GuestLedger.open(state.resolve("another-ledger"), "inc-2"), Clock.systemUTC(),
                () -> System.nanoTime() / 1_000_000, "boot-1");
        runner = new CommandRunner("test:///nonexistent/definition.xml", storage, () -> false, new TestImages(storage), watcher, LOOK_EVERY);
        Thread.sleep(3 * LOOK_EVERY.toMillis());

        CommandResult result = answer(put(9, 1, PowerState.POWER_STATE_RUNNING));

        assertThat(result.getSucceeded()).isFalse();
        assertThat(watcher.view().observed()).isFalse();
        assertThat(watcher.view().appliedSeq()).as("recorded by a look that succeeds").isZero();
    }

    private long runningMillis() {
        return watcher.view().counters().stream().filter(c -> c.instanceId().equals(ID)).findFirst().orElseThrow().runningMillis();
    }

    private CommandResult answer(Command command) throws Exception {
        CompletableFuture<CommandResult> answer = new CompletableFuture<>();
        runner.submit(command, answer::complete);
        return answer.get(30, TimeUnit.SECONDS);
    }

    private static Command put(long seq, long generation, PowerState power) {
        return Command.newBuilder().setSeq(seq).setCommandId("cmd-" + seq).setPutGuest(PutGuest.newBuilder()
                .setInstanceId(ID).setGeneration(generation).setTenantId("t-test").setName("web-1").setVcpus(2).setMemoryMib(256)
                .setRootDiskGib(1).setPowerState(power)
                .setStopTimeout(com.google.protobuf.Duration.newBuilder().setSeconds(2))).build();
    }
}
