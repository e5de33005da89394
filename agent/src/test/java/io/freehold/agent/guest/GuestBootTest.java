package io.freehold.agent.guest;

import static io.freehold.agent.guest.PutOutcome.Change.CREATED_DISK;
import static io.freehold.agent.guest.PutOutcome.Change.DEFINED;
import static io.freehold.agent.guest.PutOutcome.Change.STARTED;
import static io.freehold.agent.guest.PutOutcome.Change.WROTE_SEED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.libvirt.Connect;
import org.libvirt.Domain;
import org.libvirt.ErrorCallback;
import org.libvirt.LibvirtException;

import io.freehold.agent.guest.GuestFailure.Code;

/**
 * What a guest boots from, on libvirt's test driver with real files: root disks made as overlays on base images that
 * qemu-img wrote, kernel boots, and seed images read back with isoinfo. The test driver runs no guest, so what the guest
 * would do with them is {@link GuestsOnQemuTest}'s to show.
 */
class GuestBootTest {

    private static final long GIB = 1024L * 1024 * 1024;
    private static final String ID = "i-gb-web-1";

    @TempDir
    Path storage;
    @TempDir
    Path images;
    private Connect connect;
    private Guests guests;
    private final QemuImg qemuImg = new QemuImg("qemu-img");

    @BeforeEach
    void connect() throws LibvirtException {
        Connect.setErrorCallback(new ErrorCallback());
        connect = new Connect("test:///default");
        guests = new Guests(connect, storage);
    }

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
    void theRootDiskIsAnOverlayOnTheBaseImageOfTheFlavorsSize() throws Exception {
        Path base = base("debian.qcow2", GIB);

        assertThat(guests.put(spec().boot(overlay(base)).rootDiskGib(3).build()).changes())
                .containsExactly(CREATED_DISK, DEFINED, STARTED);

        QemuImg.Image disk = qemuImg.info(rootDisk());
        assertThat(disk.format()).isEqualTo("qcow2");
        assertThat(disk.backingFile()).isEqualTo(base.toAbsolutePath().toString());
        assertThat(disk.virtualSizeBytes()).isEqualTo(3 * GIB);
        assertThat(qemuImg.info(base).virtualSizeBytes()).as("the base is only read").isEqualTo(GIB);
        assertThat(storage.resolve(ID).resolve(Guests.ROOT_DISK_FILE + ".partial")).doesNotExist();
        assertThat(DomainMetadata.parse(connect.domainLookupByName(ID).getMetadata(Domain.MetadataType.ELEMENT,
                DomainXml.METADATA_NAMESPACE, 0)).imageId()).isEqualTo("img-debian");
    }

    @Test
    void aBaseLargerThanTheFlavorGivesTheOverlayItsOwnSize() throws Exception {
        Path base = base("big.qcow2", 5 * GIB + 512);

        guests.put(spec().boot(overlay(base)).rootDiskGib(1).build());

        assertThat(qemuImg.info(rootDisk()).virtualSizeBytes()).isEqualTo(5 * GIB + 512);
    }

    @Test
    void anExistingRootDiskIsKeptWhateverImageTheSpecNowNames() throws Exception {
        guests.put(spec().boot(overlay(base("first.qcow2", GIB))).build());
        Path second = base("second.qcow2", GIB);

        assertThat(guests.put(spec().generation(4).boot(new GuestSpec.Boot.Overlay("img-other", second)).build()).changes())
                .containsExactly(DEFINED);
        assertThat(qemuImg.info(rootDisk()).backingFile()).isEqualTo(images.resolve("first.qcow2").toString());
    }

    @Test
    void aBaseImageThatRefersToOtherFilesIsRefusedAndNothingIsMade() throws Exception {
        Path hostFile = Files.write(images.resolve("another-guests-disk"), new byte[4096]);
        Path chained = images.resolve("chained.qcow2");
        run("qemu-img", "create", "-q", "-f", "qcow2", "-F", "raw", "-b", hostFile.toString(), chained.toString(), "1G");
        Path withDataFile = images.resolve("data-file.qcow2");
        run("qemu-img", "create", "-q", "-f", "qcow2", "-o", "data_file=" + images.resolve("data.raw"), withDataFile.toString(), "1G");
        Path raw = Files.write(images.resolve("raw.img"), new byte[1 << 20]);

        for (Path base : List.of(chained, withDataFile, raw)) {
            GuestFailure failure = catchThrowableOfType(() -> guests.put(spec().boot(overlay(base)).build()), GuestFailure.class);

            assertThat(failure.code()).as("%s", base).isEqualTo(Code.INVALID_DEFINITION);
            assertThat(failure.reason()).contains("img-debian").contains(base.toString());
            assertThat(rootDisk()).doesNotExist();
            assertThat(connect.listDefinedDomains()).doesNotContain(ID);
        }
    }

    @Test
    void aKernelBootGetsAnEmptyRootDiskAndTheCachedKernelAndInitrd() throws Exception {
        Path kernel = Files.write(images.resolve("vmlinuz"), new byte[] {1, 2, 3});
        Path initrd = Files.write(images.resolve("initrd.img"), new byte[] {4, 5, 6});

        guests.put(spec().boot(new GuestSpec.Boot.Kernel("img-tiny", kernel, initrd, "console=ttyS0")).build());

        QemuImg.Image disk = qemuImg.info(rootDisk());
        assertThat(disk.backingFile()).isEmpty();
        assertThat(disk.virtualSizeBytes()).isEqualTo(GIB);
        String xml = connect.domainLookupByName(ID).getXMLDesc(Domain.XMLFlags.INACTIVE);
        assertThat(xml).contains("<kernel>" + kernel + "</kernel>").contains("<initrd>" + initrd + "</initrd>")
                .contains("<cmdline>console=ttyS0</cmdline>");
        try (Stream<Path> files = Files.list(storage.resolve(ID))) {
            assertThat(files.map(p -> p.getFileName().toString())).as("nothing copied").containsExactly(Guests.ROOT_DISK_FILE);
        }
    }

    @Test
    void theSeedIsWrittenOwnerOnlyAndSaysWhatTheSpecSays() throws Exception {
        GuestSpec.Seed seed = seed("web-1", "#!/bin/sh\necho hello\n");

        assertThat(guests.put(spec().seed(seed).build()).changes()).containsExactly(CREATED_DISK, WROTE_SEED, DEFINED, STARTED);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(seed.iso()))).isEqualTo("rw-------");
        assertThat(isoFile(seed.iso(), "/meta-data")).isEqualTo("instance-id: \"" + ID + "\"\nlocal-hostname: \"web-1\"\n");
        assertThat(isoFile(seed.iso(), "/user-data")).isEqualTo(
                CloudInitSeedFiles.userData(seed.sshAuthorizedKeys(), seed.userData()));
        assertThat(connect.domainLookupByName(ID).getXMLDesc(Domain.XMLFlags.INACTIVE)).contains(seed.iso().toString());
    }

    @Test
    void theSeedIsRewrittenOnlyWhenWhatItSaysChanged() throws Exception {
        guests.put(spec().seed(seed("web-1", "")).build());
        Object firstFile = Files.readAttributes(seedIso(), BasicFileAttributes.class).fileKey();

        assertThat(guests.put(spec().generation(4).seed(seed("web-1", "")).build()).changes()).containsExactly(DEFINED);
        assertThat(Files.readAttributes(seedIso(), BasicFileAttributes.class).fileKey()).as("the same file").isEqualTo(firstFile);

        assertThat(guests.put(spec().generation(5).seed(seed("web-2", "")).build()).changes()).containsExactly(WROTE_SEED, DEFINED);
        assertThat(Files.readAttributes(seedIso(), BasicFileAttributes.class).fileKey()).as("replaced").isNotEqualTo(firstFile);
        assertThat(isoFile(seedIso(), "/meta-data")).contains("local-hostname: \"web-2\"");
        try (Stream<Path> leftovers = Files.list(storage.resolve(ID))) {
            assertThat(leftovers.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder(Guests.ROOT_DISK_FILE, Guests.SEED_FILE);
        }
    }

    @Test
    void deleteRemovesTheOverlayAndTheSeedAndLeavesTheBase() throws Exception {
        Path base = base("debian.qcow2", GIB);
        guests.put(spec().boot(overlay(base)).seed(seed("web-1", "")).build());

        guests.delete(ID);

        assertThat(storage.resolve(ID)).doesNotExist();
        assertThat(base).exists();
    }

    @Test
    void aSeedOutsideTheInstancesDirectoryIsRefused() {
        GuestSpec.Seed elsewhere = new GuestSpec.Seed(storage.resolve("seed.iso"), "web-1", List.of(), "");

        GuestFailure failure = catchThrowableOfType(() -> guests.put(spec().seed(elsewhere).build()), GuestFailure.class);

        assertThat(failure.code()).isEqualTo(Code.INVALID_DEFINITION);
        assertThat(storage.resolve("seed.iso")).doesNotExist();
    }

    private GuestSpecs.Builder spec() {
        Path directory = guests.directory(ID);
        return GuestSpecs.golden(DomainType.QEMU).instanceId(ID).mac(GuestIdentifiers.mac(ID)).vcpus(1).memoryMib(256)
                .rootDiskPath(directory.resolve(Guests.ROOT_DISK_FILE)).rootDiskGib(1)
                .consoleLog(directory.resolve(Guests.CONSOLE_LOG_FILE));
    }

    private GuestSpec.Seed seed(String hostname, String userData) {
        return new GuestSpec.Seed(seedIso(), hostname, List.of("ssh-ed25519 AAAAC3Nz alice"), userData);
    }

    private Path seedIso() {
        return guests.directory(ID).resolve(Guests.SEED_FILE);
    }

    private Path rootDisk() {
        return guests.directory(ID).resolve(Guests.ROOT_DISK_FILE);
    }

    private static GuestSpec.Boot overlay(Path base) {
        return new GuestSpec.Boot.Overlay("img-debian", base);
    }

    private Path base(String name, long sizeBytes) throws Exception {
        Path base = images.resolve(name);
        run("qemu-img", "create", "-q", "-f", "qcow2", base.toString(), Long.toString(sizeBytes));
        return base;
    }

    private static String isoFile(Path iso, String name) throws Exception {
        assumeTrue(SeedIsoTest.onPath("isoinfo"), "isoinfo (genisoimage) is not installed; the seed is not read back");
        return new String(run("isoinfo", "-J", "-x", name, "-i", iso.toString()), StandardCharsets.UTF_8);
    }

    private static byte[] run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        byte[] output = process.getInputStream().readAllBytes();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("%s", String.join(" ", command)).isZero();
        return output;
    }
}
