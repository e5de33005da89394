package io.freehold.agent.guest;

import static io.freehold.agent.guest.PutOutcome.Change.CREATED_DISK;
import static io.freehold.agent.guest.PutOutcome.Change.DEFINED;
import static io.freehold.agent.guest.PutOutcome.Change.FORCED_OFF;
import static io.freehold.agent.guest.PutOutcome.Change.STARTED;
import static io.freehold.agent.guest.PutOutcome.Change.WROTE_SEED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
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

    /**
     * A tiny real image (a Debian kernel and a busybox initramfs whose init mounts the seed and prints what meta-data
     * says) booted directly with a seed: the proof that QEMU can read the cached kernel and initrd and the owner-only
     * seed, and that Linux reads the seed's Joliet names. Only where scripts/test.sh started libvirtd and built the image.
     */
    @Test
    void bootsAKernelWithASeedAndItsConsoleShowsTheInstanceId() throws Exception {
        String tinyImage = System.getenv("FREEHOLD_TEST_TINY_IMAGE_DIR");
        assumeTrue("qemu:///system".equals(System.getenv("FREEHOLD_TEST_LIBVIRTD")) && tinyImage != null
                        && Files.isRegularFile(Path.of(tinyImage, "vmlinuz")) && Files.isRegularFile(Path.of(tinyImage, "initrd.img")),
                "FREEHOLD_TEST_LIBVIRTD=qemu:///system and FREEHOLD_TEST_TINY_IMAGE_DIR with vmlinuz and initrd.img are needed "
                        + "to boot a real image");
        // Where the agent's image cache would keep them: readable by QEMU's user, outside the instance's directory.
        Path cache = Files.createDirectories(storage.resolve("images"));
        Files.setPosixFilePermissions(cache, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path kernel = Files.copy(Path.of(tinyImage, "vmlinuz"), cache.resolve("vmlinuz"));
        Path initrd = Files.copy(Path.of(tinyImage, "initrd.img"), cache.resolve("initrd.img"));
        Path directory = guests.directory(ID);
        GuestSpec spec = spec().memoryMib(256)
                .boot(new GuestSpec.Boot.Kernel("img-tiny", kernel, initrd, "console=ttyS0 quiet"))
                .seed(new GuestSpec.Seed(directory.resolve(Guests.SEED_FILE), "tiny-1", List.of("ssh-ed25519 AAAA test"), ""))
                .build();

        assertThat(guests.put(spec).changes()).containsExactly(CREATED_DISK, WROTE_SEED, DEFINED, STARTED);

        String marker = "freehold-tiny instance-id=" + ID;
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        String console = "";
        while (!console.contains(marker) && System.nanoTime() < deadline) {
            Thread.sleep(500);
            console = ConsoleLog.tail(storage, ID, ConsoleLog.MAX_BYTES).getData().toStringUtf8();
        }
        assertThat(console).as("the console within 60 s").contains(marker);
    }

    private GuestSpecs.Builder spec() {
        Path directory = guests.directory(ID);
        return GuestSpecs.golden(DomainType.QEMU).instanceId(ID).mac(GuestIdentifiers.mac(ID)).vcpus(1).memoryMib(128)
                .rootDiskPath(directory.resolve(Guests.ROOT_DISK_FILE)).rootDiskGib(1)
                .consoleLog(directory.resolve(Guests.CONSOLE_LOG_FILE)).stopTimeout(Duration.ofSeconds(2));
    }
}
