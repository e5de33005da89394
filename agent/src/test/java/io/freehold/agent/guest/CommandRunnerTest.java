package io.freehold.agent.guest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.freehold.agent.v1.CloudInitSeed;
import io.freehold.agent.v1.Command;
import io.freehold.agent.v1.CommandResult;
import io.freehold.agent.v1.DeleteGuest;
import io.freehold.agent.v1.GuestImage;
import io.freehold.agent.v1.ImagePart;
import io.freehold.agent.v1.KernelBoot;
import io.freehold.agent.v1.PowerState;
import io.freehold.agent.v1.PutGuest;
import io.freehold.agent.v1.ReadConsole;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.libvirt.Connect;
import org.libvirt.Domain;
import org.libvirt.DomainInfo;
import org.libvirt.ErrorCallback;
import org.libvirt.LibvirtException;

/**
 * Commands as they arrive from the control plane, carried out on libvirt's test driver with real qcow2
 * files: each answered with its seq and id, success or the failure's stable code, applied again harmlessly.
 */
class CommandRunnerTest {

    private static final String ID = "i-cr-web-1";

    @TempDir
    Path storage;
    @TempDir
    Path state;
    @TempDir
    Path cache;
    private TestImages images;
    private CommandRunner runner;
    private Connect observer;

    @BeforeEach
    void start() throws LibvirtException {
        Connect.setErrorCallback(new ErrorCallback());
        observer = new Connect("test:///default");
        GuestWatcher watcher = new GuestWatcher(GuestLedger.open(state.resolve(GuestLedger.FILE_NAME), "inc-1"),
                Clock.systemUTC(), () -> System.nanoTime() / 1_000_000, "boot-1");
        images = new TestImages(cache);
        runner = new CommandRunner("test:///default", storage, () -> false, images, watcher, Duration.ofSeconds(1));
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
    void aPutRunsTheGuestAndIsAnsweredEveryTimeItComes() throws Exception {
        Command put = put(7, 1, PowerState.POWER_STATE_RUNNING, 2);

        CommandResult first = answer(put);
        CommandResult again = answer(put);

        assertThat(first.getSucceeded()).as("%s", first).isTrue();
        assertThat(first.getSeq()).isEqualTo(7);
        assertThat(first.getCommandId()).isEqualTo("cmd-7");
        assertThat(again.getSucceeded()).isTrue();
        Domain domain = observer.domainLookupByName(ID);
        assertThat(domain.getInfo().state).isEqualTo(DomainInfo.DomainState.VIR_DOMAIN_RUNNING);
        assertThat(domain.getInfo().nrVirtCpu).isEqualTo(2);
        assertThat(storage.resolve(ID).resolve(Guests.ROOT_DISK_FILE)).exists();
    }

    @Test
    void aStopThenADeleteLeaveNothingBehind() throws Exception {
        answer(put(1, 1, PowerState.POWER_STATE_RUNNING, 1));

        CommandResult stopped = answer(put(2, 2, PowerState.POWER_STATE_STOPPED, 1));
        assertThat(stopped.getSucceeded()).as("%s", stopped).isTrue();
        assertThat(observer.domainLookupByName(ID).getInfo().state).isEqualTo(DomainInfo.DomainState.VIR_DOMAIN_SHUTOFF);

        CommandResult deleted = answer(Command.newBuilder().setSeq(3).setCommandId("cmd-3")
                .setDeleteGuest(DeleteGuest.newBuilder().setInstanceId(ID).setGeneration(2)).build());
        assertThat(deleted.getSucceeded()).as("%s", deleted).isTrue();
        assertThat(observer.listDefinedDomains()).doesNotContain(ID);
        assertThat(storage.resolve(ID)).doesNotExist();
    }

    /** What the control plane sends after a resize: the stopped guest's next generation with a larger size. */
    @Test
    void aStoppedGuestPutWithALargerSizeIsRedefinedWithItAndItsDiskGrownAndStaysOff() throws Exception {
        answer(put(1, 1, PowerState.POWER_STATE_RUNNING, 1, 256, 1));
        answer(put(2, 2, PowerState.POWER_STATE_STOPPED, 1, 256, 1));

        CommandResult resized = answer(put(3, 3, PowerState.POWER_STATE_STOPPED, 4, 1024, 3));

        assertThat(resized.getSucceeded()).as("%s", resized).isTrue();
        DomainInfo info = observer.domainLookupByName(ID).getInfo();
        assertThat(info.state).as("a resize never starts the guest").isEqualTo(DomainInfo.DomainState.VIR_DOMAIN_SHUTOFF);
        assertThat(info.nrVirtCpu).isEqualTo(4);
        assertThat(info.maxMem).as("KiB").isEqualTo(1024L * 1024);
        assertThat(new QemuImg("qemu-img").info(storage.resolve(ID).resolve(Guests.ROOT_DISK_FILE)).virtualSizeBytes())
                .isEqualTo(3L << 30);

        assertThat(answer(put(4, 4, PowerState.POWER_STATE_RUNNING, 4, 1024, 3)).getSucceeded()).isTrue();
        DomainInfo started = observer.domainLookupByName(ID).getInfo();
        assertThat(started.state).isEqualTo(DomainInfo.DomainState.VIR_DOMAIN_RUNNING);
        assertThat(started.nrVirtCpu).as("started with the new size").isEqualTo(4);
    }

    @Test
    void aGuestNoDomainCanDescribeIsAnsweredWithAReason() throws Exception {
        CommandResult result = answer(put(4, 1, PowerState.POWER_STATE_RUNNING, 600));

        assertThat(result.getSucceeded()).isFalse();
        assertThat(result.getFailureCode()).isEqualTo("INVALID_DEFINITION");
        assertThat(result.getFailureReason()).contains("vcpus");
    }

    @Test
    void aCommandThisAgentDoesNotKnowIsAnsweredAsUnsupported() throws Exception {
        CommandResult result = answer(Command.newBuilder().setSeq(5).setCommandId("cmd-5").build());

        assertThat(result.getSucceeded()).isFalse();
        assertThat(result.getFailureCode()).isEqualTo("UNSUPPORTED");
    }

    @Test
    void aPutWithADiskImageBootsFromAnOverlayOnTheLocalPartAndWritesItsSeed() throws Exception {
        Path base = cache.resolve("base.qcow2");
        new ProcessBuilder("qemu-img", "create", "-q", "-f", "qcow2", base.toString(), "1G").start().waitFor();
        ImagePart disk = images.add(base);
        Command put = put(1, 1, PowerState.POWER_STATE_RUNNING, 1).toBuilder().setPutGuest(put(1, 1, PowerState.POWER_STATE_RUNNING, 1)
                .getPutGuest().toBuilder().setImage(GuestImage.newBuilder().setImageId("img-debian").setDisk(disk))
                .setSeed(CloudInitSeed.newBuilder().setHostname("web-1").addSshAuthorizedKeys("ssh-ed25519 AAAA k"))).build();

        CommandResult result = answer(put);

        assertThat(result.getSucceeded()).as("%s", result).isTrue();
        assertThat(new QemuImg("qemu-img").info(storage.resolve(ID).resolve(Guests.ROOT_DISK_FILE)).backingFile())
                .isEqualTo(cache.resolve(disk.getSha256()).toString());
        assertThat(storage.resolve(ID).resolve(Guests.SEED_FILE)).exists();
        assertThat(observer.domainLookupByName(ID).getXMLDesc(0)).contains(Guests.SEED_FILE);
    }

    @Test
    void aPartThatCannotBeHadFailsThePutBeforeAnythingIsMade() throws Exception {
        ImagePart kernel = images.add(new byte[] {1, 2, 3});
        ImagePart missing = ImagePart.newBuilder().setSha256("ab".repeat(32)).setSizeBytes(10).build();
        Command put = put(1, 1, PowerState.POWER_STATE_RUNNING, 1).toBuilder().setPutGuest(put(1, 1, PowerState.POWER_STATE_RUNNING, 1)
                .getPutGuest().toBuilder().setImage(GuestImage.newBuilder().setImageId("img-tiny").setKernel(
                        KernelBoot.newBuilder().setKernel(kernel).setInitrd(missing).setCmdline("console=ttyS0")))
                .setSeed(CloudInitSeed.newBuilder().setHostname("web-1"))).build();

        CommandResult result = answer(put);

        assertThat(result.getSucceeded()).isFalse();
        assertThat(result.getFailureCode()).isEqualTo("UNAVAILABLE");
        assertThat(result.getFailureReason()).contains("ab".repeat(32));
        assertThat(images.asked()).containsExactly(kernel.getSha256(), missing.getSha256());
        assertThat(storage.resolve(ID)).doesNotExist();
        assertThat(observer.listDefinedDomains()).doesNotContain(ID);
    }

    @Test
    void anImageNamingNeitherADiskNorAKernelIsAnInvalidDefinition() throws Exception {
        Command put = put(1, 1, PowerState.POWER_STATE_RUNNING, 1).toBuilder().setPutGuest(put(1, 1, PowerState.POWER_STATE_RUNNING, 1)
                .getPutGuest().toBuilder().setImage(GuestImage.newBuilder().setImageId("img-new-kind"))).build();

        CommandResult result = answer(put);

        assertThat(result.getFailureCode()).isEqualTo("INVALID_DEFINITION");
        assertThat(result.getFailureReason()).contains("img-new-kind");
        assertThat(storage.resolve(ID)).doesNotExist();
    }

    @Test
    void readConsoleAnswersWithTheTailOfTheConsoleLogAndChangesNothing() throws Exception {
        answer(put(1, 1, PowerState.POWER_STATE_RUNNING, 1));
        // The test driver runs no guest, so nothing writes the console: the test plays virtlogd.
        Files.writeString(storage.resolve(ID).resolve(Guests.CONSOLE_LOG_FILE), "SeaBIOS\nLinux version 6.1\nlogin: ");
        int runtimeId = observer.domainLookupByName(ID).getID();

        CommandResult tail = answer(readConsole(2, ID, 7));
        CommandResult whole = answer(readConsole(3, ID, 0));

        assertThat(tail.getSucceeded()).as("%s", tail).isTrue();
        assertThat(tail.getSeq()).isEqualTo(2);
        assertThat(tail.getConsole().getData().toStringUtf8()).isEqualTo("login: ");
        assertThat(tail.getConsole().getTruncated()).isTrue();
        assertThat(whole.getConsole().getData().toStringUtf8()).isEqualTo("SeaBIOS\nLinux version 6.1\nlogin: ");
        assertThat(whole.getConsole().getTruncated()).isFalse();
        assertThat(observer.domainLookupByName(ID).getID()).as("the guest ran on").isEqualTo(runtimeId);
    }

    @Test
    void readConsoleOfAnUnknownOrInvalidInstanceSaysSo() throws Exception {
        CommandResult unknown = answer(readConsole(1, "i-nowhere", 100));
        CommandResult invalid = answer(readConsole(2, "../../etc", 100));

        assertThat(unknown.getSucceeded()).isFalse();
        assertThat(unknown.getFailureCode()).isEqualTo("NO_SUCH_DOMAIN");
        assertThat(unknown.hasConsole()).isFalse();
        assertThat(invalid.getFailureCode()).isEqualTo("INVALID_DEFINITION");
        assertThat(invalid.getFailureReason()).contains("not an instance id");
    }

    private static Command readConsole(long seq, String instanceId, int maxBytes) {
        return Command.newBuilder().setSeq(seq).setCommandId("cmd-" + seq)
                .setReadConsole(ReadConsole.newBuilder().setInstanceId(instanceId).setMaxBytes(maxBytes)).build();
    }

    private CommandResult answer(Command command) throws Exception {
        CompletableFuture<CommandResult> answer = new CompletableFuture<>();
        runner.submit(command, answer::complete);
        return answer.get(30, TimeUnit.SECONDS);
    }

    private static Command put(long seq, long generation, PowerState power, int vcpus) {
        return put(seq, generation, power, vcpus, 256, 1);
    }

    private static Command put(long seq, long generation, PowerState power, int vcpus, long memoryMib, long rootDiskGib) {
        return Command.newBuilder().setSeq(seq).setCommandId("cmd-" + seq).setPutGuest(PutGuest.newBuilder()
                .setInstanceId(ID).setGeneration(generation).setTenantId("t-test").setName("web-1").setVcpus(vcpus).setMemoryMib(memoryMib)
                .setRootDiskGib(rootDiskGib).setPowerState(power)
                .setStopTimeout(com.google.protobuf.Duration.newBuilder().setSeconds(2))).build();
    }
}
