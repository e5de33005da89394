package io.freehold.agent.guest;

import static io.freehold.agent.guest.PutOutcome.Change.CREATED_DISK;
import static io.freehold.agent.guest.PutOutcome.Change.DEFINED;
import static io.freehold.agent.guest.PutOutcome.Change.FORCED_OFF;
import static io.freehold.agent.guest.PutOutcome.Change.GREW_DISK;
import static io.freehold.agent.guest.PutOutcome.Change.RESUMED;
import static io.freehold.agent.guest.PutOutcome.Change.SHUT_DOWN;
import static io.freehold.agent.guest.PutOutcome.Change.STARTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.libvirt.Connect;
import org.libvirt.Domain;
import org.libvirt.ErrorCallback;
import org.libvirt.LibvirtException;

import io.freehold.agent.guest.GuestFailure.Code;
import io.freehold.agent.guest.GuestInventory.ForeignDomain;
import io.freehold.agent.guest.GuestSpec.Power;

/**
 * {@link Guests} against libvirt's built-in test driver (only Debian's libvirt0 is needed) with real qcow2 files made
 * by qemu-img in a temp dir. The test driver keeps domains in this process's memory and powers them on and off at
 * once; it honours the ACPI shutdown immediately, so the wait-then-force path is only reached here for a paused guest
 * (see {@link GuestsOnQemuTest} for a real one that ignores the button).
 */
class GuestsTest {

    private static final long GIB = 1024L * 1024 * 1024;
    private static final String ID = "i-gt-web-1";

    @TempDir
    Path storage;
    private Connect connect;
    private Guests guests;

    @BeforeEach
    void connect() throws LibvirtException {
        Connect.setErrorCallback(new ErrorCallback());
        connect = new Connect("test:///default");
        guests = new Guests(connect, storage);
    }

    /**
     * The test driver shares its domains between the connections of one process: leave none behind for other tests,
     * only the driver's own "test".
     */
    @AfterEach
    void removeTestDomains() throws LibvirtException {
        for (Domain domain : connect.listAllDomains(0)) {
            if (!domain.getName().equals("test")) {
                if (domain.isActive() == 1) {
                    domain.destroy();
                }
                domain.undefine();
            }
        }
        connect.close();
    }

    @Test
    void aSecondPutOfTheSameSpecChangesNothing() throws Exception {
        GuestSpec spec = spec(ID).build();

        assertThat(guests.put(spec).changes()).containsExactly(CREATED_DISK, DEFINED, STARTED);
        int domainId = connect.domainLookupByName(ID).getID();

        assertThat(guests.put(spec)).isEqualTo(PutOutcome.NOTHING);
        assertThat(connect.domainLookupByName(ID).getID()).as("not restarted").isEqualTo(domainId);
        assertThat(ours()).containsExactly(new Guest(ID, 3, 0, PowerState.RUNNING));
        QemuImg.Image disk = new QemuImg("qemu-img").info(spec.rootDisk().path());
        assertThat(disk.format()).isEqualTo("qcow2");
        assertThat(disk.virtualSizeBytes()).isEqualTo(GIB);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(guests.directory(ID))))
                .as("QEMU's user may traverse, nobody else may list").isEqualTo("rwx--x--x");
    }

    @Test
    void aNewGenerationRedefinesTheDomainWhichTheRunningGuestTakesUpAtItsNextStart() throws Exception {
        guests.put(spec(ID).vcpus(1).build());
        int domainId = connect.domainLookupByName(ID).getID();

        GuestSpec next = spec(ID).generation(4).vcpus(3).build();
        assertThat(guests.put(next).changes()).containsExactly(DEFINED);

        Domain domain = connect.domainLookupByName(ID);
        assertThat(domain.getID()).as("still the same running guest").isEqualTo(domainId);
        assertThat(domain.getXMLDesc(Domain.XMLFlags.INACTIVE)).contains("<vcpu placement='static'>3</vcpu>");
        assertThat(domain.getXMLDesc(0)).as("the live definition").contains("<vcpu placement='static'>1</vcpu>");
        assertThat(ours()).containsExactly(new Guest(ID, 4, 0, PowerState.RUNNING));
        assertThat(guests.put(next)).as("read from the persistent definition, not the live one").isEqualTo(PutOutcome.NOTHING);
    }

    @Test
    void anOlderSpecDeliveredLateChangesNothing() throws Exception {
        guests.put(spec(ID).generation(4).rebootCount(2).build());

        assertThat(guests.put(spec(ID).generation(3).rebootCount(5).power(Power.STOPPED).build()))
                .isEqualTo(PutOutcome.SUPERSEDED);
        assertThat(guests.put(spec(ID).generation(4).rebootCount(1).power(Power.STOPPED).build()))
                .isEqualTo(PutOutcome.SUPERSEDED);
        assertThat(ours()).containsExactly(new Guest(ID, 4, 2, PowerState.RUNNING));
    }

    @Test
    void stopAndStartConverge() throws Exception {
        guests.put(spec(ID).build());

        assertThat(guests.put(spec(ID).power(Power.STOPPED).build()).changes()).containsExactly(SHUT_DOWN);
        assertThat(ours()).containsExactly(new Guest(ID, 3, 0, PowerState.SHUT_OFF));
        assertThat(guests.put(spec(ID).power(Power.STOPPED).build())).isEqualTo(PutOutcome.NOTHING);

        assertThat(guests.put(spec(ID).build()).changes()).containsExactly(STARTED);
        assertThat(ours()).containsExactly(new Guest(ID, 3, 0, PowerState.RUNNING));
    }

    @Test
    void aFirstPutOfAStoppedGuestDefinesItWithoutStartingIt() throws Exception {
        assertThat(guests.put(spec(ID).power(Power.STOPPED).build()).changes()).containsExactly(CREATED_DISK, DEFINED);
        assertThat(ours()).containsExactly(new Guest(ID, 3, 0, PowerState.SHUT_OFF));
    }

    @Test
    void aPausedGuestIsResumedWhenItShouldRunAndForcedOffWhenItShouldStop() throws Exception {
        guests.put(spec(ID).build());
        connect.domainLookupByName(ID).suspend();
        assertThat(ours()).containsExactly(new Guest(ID, 3, 0, PowerState.PAUSED));

        assertThat(guests.put(spec(ID).build()).changes()).containsExactly(RESUMED);

        connect.domainLookupByName(ID).suspend();
        assertThat(guests.put(spec(ID).power(Power.STOPPED).build()).changes())
                .as("a paused guest cannot answer the ACPI button").containsExactly(FORCED_OFF);
    }

    @Test
    void aRaisedRebootCountPowerCyclesARunningGuestOnce() throws Exception {
        guests.put(spec(ID).build());
        int domainId = connect.domainLookupByName(ID).getID();

        GuestSpec reboot = spec(ID).rebootCount(1).build();
        assertThat(guests.put(reboot).changes()).containsExactly(SHUT_DOWN, DEFINED, STARTED);
        assertThat(connect.domainLookupByName(ID).getID()).as("a new process").isNotEqualTo(domainId);
        assertThat(ours()).containsExactly(new Guest(ID, 3, 1, PowerState.RUNNING));

        assertThat(guests.put(reboot)).as("the same reboot delivered again").isEqualTo(PutOutcome.NOTHING);

        connect.domainLookupByName(ID).suspend();
        assertThat(guests.put(spec(ID).rebootCount(2).build()).changes()).as("a paused guest is power-cycled, not resumed")
                .containsExactly(FORCED_OFF, DEFINED, STARTED);
    }

    @Test
    void aRebootAskedOfAStoppedGuestIsOnlyRecorded() throws Exception {
        guests.put(spec(ID).power(Power.STOPPED).build());

        assertThat(guests.put(spec(ID).power(Power.STOPPED).rebootCount(1).build()).changes()).containsExactly(DEFINED);
        assertThat(ours()).containsExactly(new Guest(ID, 3, 1, PowerState.SHUT_OFF));
    }

    @Test
    void aLargerDiskWaitsUntilTheGuestIsOff() throws Exception {
        guests.put(spec(ID).build());
        Path disk = guests.directory(ID).resolve(Guests.ROOT_DISK_FILE);

        PutOutcome running = guests.put(spec(ID).generation(4).rootDiskGib(2).build());
        assertThat(running.changes()).containsExactly(DEFINED);
        assertThat(running.diskGrowthPending()).isTrue();
        assertThat(virtualSize(disk)).isEqualTo(GIB);

        PutOutcome stopped = guests.put(spec(ID).generation(4).rootDiskGib(2).power(Power.STOPPED).build());
        assertThat(stopped.changes()).containsExactly(SHUT_DOWN, GREW_DISK);
        assertThat(stopped.diskGrowthPending()).isFalse();
        assertThat(virtualSize(disk)).isEqualTo(2 * GIB);
    }

    @Test
    void anExistingDiskIsNeverReplacedNorShrunk() throws Exception {
        Path disk = guests.directory(ID).resolve(Guests.ROOT_DISK_FILE);
        Files.createDirectories(disk.getParent());
        EmptyQcow2.create(disk, 3 * GIB);

        assertThat(guests.put(spec(ID).rootDiskGib(1).build()).changes()).containsExactly(DEFINED, STARTED);
        assertThat(virtualSize(disk)).isEqualTo(3 * GIB);
    }

    @Test
    void aDiskThatIsNotQcow2IsRefusedAndLeftAlone() throws Exception {
        Path disk = guests.directory(ID).resolve(Guests.ROOT_DISK_FILE);
        Files.createDirectories(disk.getParent());
        Files.write(disk, new byte[4096]);

        GuestFailure failure = catchThrowableOfType(() -> guests.put(spec(ID).build()), GuestFailure.class);

        assertThat(failure.code()).isEqualTo(Code.STORAGE);
        assertThat(failure.reason()).contains("is a raw image, not qcow2");
        assertThat(Files.readAllBytes(disk)).isEqualTo(new byte[4096]);
        assertThat(connect.listDefinedDomains()).doesNotContain(ID);
    }

    @Test
    void deletingTwiceRemovesTheGuestAndItsFilesAndThenSucceeds() throws Exception {
        guests.put(spec(ID).build());
        Files.writeString(guests.directory(ID).resolve(Guests.CONSOLE_LOG_FILE), "boot\n");
        Files.writeString(guests.directory(ID).resolve(Guests.CONSOLE_LOG_FILE + ".0"), "rotated by virtlogd\n");

        guests.delete(ID);
        guests.delete(ID);

        assertThat(guests.list().guests()).isEmpty();
        assertThat(connect.listDefinedDomains()).doesNotContain(ID);
        assertThat(guests.directory(ID)).doesNotExist();
        assertThat(storage).exists();
    }

    @Test
    void listSaysWhoOwnsEachGuestWhatItIsGivenAndWhetherItRanOnSinceTheLastLook() throws Exception {
        guests.put(spec(ID).vcpus(2).memoryMib(512).rootDiskGib(1).build());
        GuestInventory.Guest running = guests.list().guests().get(0);

        assertThat(running.tenantId()).isEqualTo("t-01jdbyx4g7e2m9c5k8n3p6q1r0");
        assertThat(running.shape()).isEqualTo(new GuestInventory.Shape(2, 512, 1));
        assertThat(running.runtimeId()).isEqualTo(connect.domainLookupByName(ID).getID()).isNotEqualTo(GuestInventory.Guest.NOT_RUNNING);
        assertThat(guests.list().guests().get(0).runtimeId()).as("ran on").isEqualTo(running.runtimeId());

        guests.put(spec(ID).power(Power.STOPPED).vcpus(2).memoryMib(512).build());
        assertThat(guests.list().guests().get(0).runtimeId()).isEqualTo(GuestInventory.Guest.NOT_RUNNING);
        guests.put(spec(ID).vcpus(2).memoryMib(512).build());
        assertThat(guests.list().guests().get(0).runtimeId()).as("started anew").isNotEqualTo(running.runtimeId())
                .isNotEqualTo(GuestInventory.Guest.NOT_RUNNING);
    }

    @Test
    void listReportsForeignDomainsNamedLikeInstancesAndTheAgentNeverTouchesThem() throws Exception {
        guests.put(spec(ID).build());
        String withoutMetadata = "i-gt-made-by-hand";
        connect.domainDefineXML(handMade(withoutMetadata, ""));
        String otherInstance = "i-gt-copied";
        connect.domainDefineXML(handMade(otherInstance, "<metadata><freehold:instance xmlns:freehold='"
                + DomainXml.METADATA_NAMESPACE + "'><freehold:id>i-gt-original</freehold:id>"
                + "<freehold:generation>1</freehold:generation></freehold:instance></metadata>"));
        connect.domainDefineXML(handMade("Not_An_Instance", ""));
        String before = connect.domainLookupByName(withoutMetadata).getXMLDesc(0);

        GuestInventory inventory = guests.list();

        assertThat(inventory.guests()).extracting(GuestsTest::recorded).containsExactly(new Guest(ID, 3, 0, PowerState.RUNNING));
        assertThat(inventory.foreign()).contains(
                new ForeignDomain(withoutMetadata, PowerState.SHUT_OFF, "no Freehold metadata (urn:freehold:domain:1)"),
                new ForeignDomain(otherInstance, PowerState.SHUT_OFF, "its Freehold metadata names instance i-gt-original"));
        assertThat(inventory.foreign()).extracting(ForeignDomain::name).doesNotContain("Not_An_Instance");

        GuestFailure put = catchThrowableOfType(() -> guests.put(spec(withoutMetadata).build()), GuestFailure.class);
        assertThat(put.code()).isEqualTo(Code.CONFLICT);
        assertThat(put.reason()).contains("refusing to put " + withoutMetadata);
        GuestFailure delete = catchThrowableOfType(() -> guests.delete(withoutMetadata), GuestFailure.class);
        assertThat(delete.code()).isEqualTo(Code.CONFLICT);
        assertThatThrownBy(() -> guests.delete(otherInstance)).isInstanceOf(GuestFailure.class);

        assertThat(connect.domainLookupByName(withoutMetadata).getXMLDesc(0)).isEqualTo(before);
        assertThat(Arrays.asList(connect.listDefinedDomains())).contains(withoutMetadata, otherInstance);
        assertThat(guests.directory(withoutMetadata)).doesNotExist();
    }

    @Test
    void inspectSaysOfOneDomainWhatListSaysOfIt() throws Exception {
        guests.put(spec(ID).vcpus(2).memoryMib(512).rootDiskGib(1).build());
        String withoutMetadata = "i-gt-made-by-hand";
        connect.domainDefineXML(handMade(withoutMetadata, ""));

        assertThat(guests.inspect(ID).guests()).containsExactlyElementsOf(guests.list().guests());
        assertThat(guests.inspect(ID).foreign()).isEmpty();
        assertThat(guests.inspect(withoutMetadata).guests()).isEmpty();
        assertThat(guests.inspect(withoutMetadata).foreign()).containsExactly(
                new ForeignDomain(withoutMetadata, PowerState.SHUT_OFF, "no Freehold metadata (urn:freehold:domain:1)"));
        assertThat(guests.inspect("i-gt-nowhere")).isEqualTo(new GuestInventory(List.of(), List.of()));
        assertThatThrownBy(() -> guests.inspect("../etc")).isInstanceOf(IllegalArgumentException.class);
    }

    /** As after {@code virsh domrename}: the instance's UUID is held by a domain of another name. */
    @Test
    void aDefinitionLibvirtRefusesIsAFailureWithLibvirtsCodeAndReason() throws Exception {
        GuestSpec spec = spec(ID).build();
        connect.domainDefineXML(DomainXml.render(spec).replace("<name>" + ID + "</name>", "<name>i-gt-renamed</name>"));

        GuestFailure failure = catchThrowableOfType(() -> guests.put(spec), GuestFailure.class);

        assertThat(failure.code()).isEqualTo(Code.OPERATION_FAILED);
        assertThat(failure.reason()).startsWith("define " + ID + " generation 3: ").contains("i-gt-renamed")
                .endsWith("(libvirt VIR_ERR_OPERATION_FAILED)");
    }

    @Test
    void filesOutsideTheInstancesDirectoryAreRefused() {
        GuestSpec spec = spec(ID).rootDiskPath(storage.resolve("elsewhere/root.qcow2")).build();

        GuestFailure failure = catchThrowableOfType(() -> guests.put(spec), GuestFailure.class);

        assertThat(failure.code()).isEqualTo(Code.INVALID_DEFINITION);
        assertThat(failure.reason()).contains("is not in the instance's directory " + guests.directory(ID));
        assertThat(storage.resolve("elsewhere")).doesNotExist();
    }

    @Test
    void unusableStorageIsAStorageFailure() throws Exception {
        Files.writeString(guests.directory(ID), "a file where the instance's directory belongs");

        GuestFailure failure = catchThrowableOfType(() -> guests.put(spec(ID).build()), GuestFailure.class);

        assertThat(failure.code()).isEqualTo(Code.STORAGE);
        assertThat(failure.reason()).startsWith("cannot create the directory of " + ID);
    }

    private GuestSpecs.Builder spec(String id) {
        Path directory = guests.directory(id);
        return GuestSpecs.golden(DomainType.QEMU).instanceId(id).mac(GuestIdentifiers.mac(id)).vcpus(1).memoryMib(256)
                .rootDiskPath(directory.resolve(Guests.ROOT_DISK_FILE)).rootDiskGib(1)
                .consoleLog(directory.resolve(Guests.CONSOLE_LOG_FILE));
    }

    /**
     * Freehold's guests in the inventory, as far as put decides them; the test driver's own domain "test" is foreign
     * and not of interest here. What else the inventory says has a test of its own.
     */
    private List<Guest> ours() throws GuestFailure {
        return guests.list().guests().stream().map(GuestsTest::recorded).toList();
    }

    private static Guest recorded(GuestInventory.Guest guest) {
        return new Guest(guest.instanceId(), guest.generation(), guest.rebootCount(), guest.power());
    }

    /** The part of an inventory's guest that put decides: what the definition records and its power. */
    private record Guest(String instanceId, long generation, long rebootCount, PowerState power) {
    }

    private static long virtualSize(Path disk) throws GuestFailure {
        return new QemuImg("qemu-img").info(disk).virtualSizeBytes();
    }

    private static String handMade(String name, String metadata) {
        return "<domain type='test'><name>" + name + "</name>" + metadata
                + "<memory unit='MiB'>64</memory><os><type>hvm</type></os></domain>";
    }
}
