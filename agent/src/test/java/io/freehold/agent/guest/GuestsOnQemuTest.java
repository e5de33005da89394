package io.freehold.agent.guest;

import static io.freehold.agent.guest.PutOutcome.Change.CREATED_DISK;
import static io.freehold.agent.guest.PutOutcome.Change.DEFINED;
import static io.freehold.agent.guest.PutOutcome.Change.FORCED_OFF;
import static io.freehold.agent.guest.PutOutcome.Change.STARTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.libvirt.Connect;
import org.libvirt.ErrorCallback;
import org.libvirt.LibvirtException;

import io.freehold.agent.guest.GuestInventory.Guest;
import io.freehold.agent.guest.GuestSpec.Power;

/**
 * One guest through the real libvirt daemon and QEMU (software emulation, which works on every host): defined, booted
 * from an empty disk (SeaBIOS finds nothing to boot, which is fine), stopped and deleted. Skipped, saying why, where
 * {@code qemu:///system} does not answer or its {@code default} network is not active.
 */
class GuestsOnQemuTest {

    private static final String ID = "i-freehold-test-qemu";

    private Connect connect;
    private Path storage;
    private Guests guests;

    @BeforeEach
    void connect() throws Exception {
        Connect.setErrorCallback(new ErrorCallback());
        try {
            connect = new Connect("qemu:///system");
        } catch (LibvirtException e) {
            unavailable("libvirtd does not answer at qemu:///system (" + e.getMessage() + "); install "
                    + "libvirt-daemon-system qemu-system-x86, start 'virtlogd -d' and 'libvirtd -d' to run the real "
                    + "define-boot-delete test");
        }
        try {
            if (connect.networkLookupByName(GuestSpec.DEFAULT_NETWORK).isActive() != 1) {
                unavailable("libvirt's 'default' network is not active (virsh net-start default); guests cannot be started");
            }
        } catch (LibvirtException e) {
            unavailable("libvirt has no 'default' network (" + e.getMessage() + "); guests cannot be started");
        }
        // Not a JUnit temp dir: QEMU runs as libvirt-qemu and must traverse to the disk, and /tmp may be a tmpfs,
        // where cache=none (O_DIRECT) fails.
        storage = Files.createTempDirectory(Path.of("/var/tmp"), "freehold-guests-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx--x--x")));
        guests = new Guests(connect, storage);
    }

    /**
     * Skips the test, saying why; but scripts/test.sh starts libvirtd and its network and says so in
     * FREEHOLD_TEST_LIBVIRTD, and then a daemon that does not answer is a failure, not a reason to skip.
     */
    private static void unavailable(String reason) {
        if (System.getenv("FREEHOLD_TEST_LIBVIRTD") != null) {
            fail(reason + "; FREEHOLD_TEST_LIBVIRTD says scripts/test.sh started them");
        }
        assumeTrue(false, reason);
    }

    @AfterEach
    void cleanUp() throws Exception {
        if (connect == null) {
            return;
        }
        try {
            if (guests != null) {
                guests.delete(ID);
            }
        } finally {
            if (storage != null) {
                try (Stream<Path> files = Files.walk(storage)) {
                    files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
                }
            }
            connect.close();
        }
    }

    @Test
    void definesBootsStopsAndDeletesARealGuest() throws Exception {
        GuestSpec running = spec().build();

        assertThat(guests.put(running).changes()).containsExactly(CREATED_DISK, DEFINED, STARTED);
        assertThat(guests.put(running)).isEqualTo(PutOutcome.NOTHING);
        assertThat(guests.list().guests()).extracting(Guest::instanceId, Guest::generation, Guest::rebootCount, Guest::power)
                .contains(tuple(ID, 3L, 0L, PowerState.RUNNING));
        assertThat(running.consoleLog()).as("virtlogd opened the console log").exists();

        // SeaBIOS with nothing to boot has no operating system to answer the ACPI button: the stop timeout runs out.
        assertThat(guests.put(spec().power(Power.STOPPED).build()).changes()).containsExactly(FORCED_OFF);
        assertThat(guests.list().guests()).extracting(Guest::instanceId, Guest::generation, Guest::rebootCount, Guest::power)
                .contains(tuple(ID, 3L, 0L, PowerState.SHUT_OFF));

        guests.delete(ID);
        assertThat(guests.list().guests()).extracting(Guest::instanceId).doesNotContain(ID);
        assertThat(guests.directory(ID)).doesNotExist();
    }

    private GuestSpecs.Builder spec() {
        Path directory = guests.directory(ID);
        return GuestSpecs.golden(DomainType.QEMU).instanceId(ID).mac(GuestIdentifiers.mac(ID)).vcpus(1).memoryMib(128)
                .rootDiskPath(directory.resolve(Guests.ROOT_DISK_FILE)).rootDiskGib(1)
                .consoleLog(directory.resolve(Guests.CONSOLE_LOG_FILE)).stopTimeout(Duration.ofSeconds(2));
    }
}
