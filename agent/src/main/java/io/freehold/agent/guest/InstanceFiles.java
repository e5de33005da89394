package io.freehold.agent.guest;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

import io.freehold.agent.guest.GuestFailure.Code;
import io.freehold.agent.identity.AtomicFileWriter;
import io.freehold.agent.guest.PutOutcome.Change;

/**
 * The files of the instances under guest storage: each instance owns {@code <storage root>/<instance id>/} with its
 * root disk, seed image and console log, and nothing of it lives anywhere else, so removing an instance removes exactly
 * its own files. The images a guest boots from live in the agent's image cache and are only read from here.
 */
final class InstanceFiles {

    private static final long GIB = 1024L * 1024 * 1024;
    /** The label cloud-init's NoCloud data source looks for. */
    static final String SEED_LABEL = "cidata";
    /**
     * Others may traverse but not list: under qemu:///system QEMU runs as libvirt-qemu and must reach the disk, which
     * libvirt hands to that user when the guest starts.
     */
    private static final Set<PosixFilePermission> TRAVERSABLE = PosixFilePermissions.fromString("rwx--x--x");

    private final Path storageRoot;
    private final QemuImg qemuImg;

    InstanceFiles(Path storageRoot, QemuImg qemuImg) {
        this.storageRoot = storageRoot.toAbsolutePath();
        this.qemuImg = qemuImg;
    }

    Path directory(String instanceId) {
        return storageRoot.resolve(GuestSpec.requireInstanceId(instanceId));
    }

    /** Refuses a spec whose disk, seed or console log lies outside its instance's directory. */
    void requireOwn(GuestSpec spec) throws GuestFailure {
        Path directory = directory(spec.instanceId());
        requireIn(directory, "root disk", spec.rootDisk().path());
        requireIn(directory, "console log", spec.consoleLog());
        if (spec.seed().isPresent()) {
            requireIn(directory, "seed image", spec.seed().get().iso());
        }
    }

    /**
     * Creates the root disk when it is missing and grows it when it is smaller than the spec and the guest is off.
     * qemu-img must not write an image that a running QEMU has open (QEMU holds a lock on it for that reason), so a
     * running guest's disk is left alone; the return value says growth is still owed.
     *
     * <p>A new disk is an overlay on the spec's base image ({@link GuestSpec.Boot.Overlay}), else empty. An existing one
     * is kept whatever it is backed by: it holds the guest's data.
     */
    boolean prepareRootDisk(GuestSpec spec, boolean guestActive, List<Change> changes) throws GuestFailure {
        Path disk = spec.rootDisk().path();
        long wantedBytes = spec.rootDisk().sizeGib() * GIB;
        createDirectories(spec.instanceId());
        if (!Files.exists(disk, LinkOption.NOFOLLOW_LINKS)) {
            createRootDisk(spec.boot(), disk, wantedBytes);
            changes.add(Change.CREATED_DISK);
            return false;
        }
        QemuImg.Image image = qemuImg.info(disk);
        if (!"qcow2".equals(image.format())) {
            throw new GuestFailure(Code.STORAGE, "the root disk " + disk + " is a " + image.format()
                    + " image, not qcow2; the agent never replaces an existing disk");
        }
        if (image.virtualSizeBytes() >= wantedBytes) {
            return false;
        }
        if (guestActive) {
            return true;
        }
        qemuImg.grow(disk, wantedBytes);
        changes.add(Change.GREW_DISK);
        return false;
    }

    /**
     * Writes the seed image when the spec has a seed and the file does not already hold exactly that image. Replaced
     * atomically: a running guest keeps reading the image it started with (its QEMU holds the old file open), and the
     * next start reads the new one.
     *
     * <p>Owner-only, because user data may carry secrets and others can reach the instance's directory: libvirt's
     * dynamic ownership hands the file to QEMU's user when the guest starts, as it does the root disk, which QEMU must
     * even write.
     */
    void writeSeed(GuestSpec spec, List<Change> changes) throws GuestFailure {
        if (spec.seed().isEmpty()) {
            return;
        }
        GuestSpec.Seed seed = spec.seed().get();
        byte[] image = SeedIso.image(SEED_LABEL, List.of(
                new SeedIso.File(CloudInitSeedFiles.META_DATA, utf8(CloudInitSeedFiles.metaData(spec.instanceId(), seed.hostname()))),
                new SeedIso.File(CloudInitSeedFiles.USER_DATA, utf8(CloudInitSeedFiles.userData(seed.sshAuthorizedKeys(), seed.userData())))));
        createDirectories(spec.instanceId());
        try {
            if (Files.isRegularFile(seed.iso(), LinkOption.NOFOLLOW_LINKS) && Arrays.equals(Files.readAllBytes(seed.iso()), image)) {
                return;
            }
            AtomicFileWriter.write(seed.iso(), image, AtomicFileWriter.OWNER_ONLY);
        } catch (IOException e) {
            throw new GuestFailure(Code.STORAGE, "cannot write the seed image " + seed.iso() + ": " + e, e);
        }
        changes.add(Change.WROTE_SEED);
    }

    /** Deletes the instance's directory and everything in it; symbolic links are removed, never followed. */
    void remove(String instanceId) throws GuestFailure {
        Path directory = directory(instanceId);
        try {
            Files.walkFileTree(directory, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException failure) throws IOException {
                    if (failure != null) {
                        throw failure;
                    }
                    Files.delete(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (NoSuchFileException e) {
            // Nothing left: a repeated delete, or a guest whose directory was never created.
        } catch (IOException e) {
            throw new GuestFailure(Code.STORAGE, "the domain is gone but its files are not: cannot remove " + directory
                    + ": " + e, e);
        }
    }

    private void createDirectories(String instanceId) throws GuestFailure {
        try {
            for (Path dir : List.of(storageRoot, directory(instanceId))) {
                if (!Files.isDirectory(dir)) {
                    Files.createDirectories(dir);
                    // Set afterwards: a mode given at creation is narrowed by the process's umask.
                    Files.setPosixFilePermissions(dir, TRAVERSABLE);
                }
            }
        } catch (IOException e) {
            throw new GuestFailure(Code.STORAGE, "cannot create the directory of " + instanceId + ": " + e, e);
        }
    }

    /**
     * Created under another name, forced to disk and renamed: a crash while writing it would otherwise leave a truncated
     * file that every later put takes for the existing disk and never replaces.
     */
    private void createRootDisk(GuestSpec.Boot boot, Path disk, long wantedBytes) throws GuestFailure {
        Path partial = disk.resolveSibling(disk.getFileName() + ".partial");
        try {
            Files.deleteIfExists(partial);
            if (boot instanceof GuestSpec.Boot.Overlay overlay) {
                QemuImg.Image base = usableBase(overlay);
                qemuImg.createOverlay(overlay.base(), partial, Math.max(wantedBytes, roundUpTo512(base.virtualSizeBytes())));
                try (FileChannel channel = FileChannel.open(partial, StandardOpenOption.WRITE)) {
                    channel.force(true);
                }
            } else {
                EmptyQcow2.create(partial, wantedBytes);
            }
            Files.move(partial, disk, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new GuestFailure(Code.STORAGE, "cannot create the root disk " + disk + ": " + e, e);
        }
    }

    /**
     * The base image as qemu-img reads it, refused unless it is a qcow2 image standing on its own: a backing file or an
     * external data file named inside an image would let whoever made the image have QEMU read (or, for a data file,
     * write) any file the guest's QEMU can open, such as another guest's disk.
     */
    private QemuImg.Image usableBase(GuestSpec.Boot.Overlay overlay) throws GuestFailure {
        QemuImg.Image base = qemuImg.info(overlay.base());
        String refusal = "the image " + overlay.imageId() + " (" + overlay.base() + ") ";
        if (!"qcow2".equals(base.format())) {
            throw new GuestFailure(Code.INVALID_DEFINITION, refusal + "is a " + base.format() + " image, not qcow2");
        }
        if (!base.backingFile().isEmpty() || !base.dataFile().isEmpty()) {
            throw new GuestFailure(Code.INVALID_DEFINITION, refusal + "refers to other files (backing file '"
                    + base.backingFile() + "', data file '" + base.dataFile() + "'); an image must stand on its own");
        }
        return base;
    }

    private static long roundUpTo512(long bytes) {
        return (bytes + 511) / 512 * 512;
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static void requireIn(Path directory, String what, Path path) throws GuestFailure {
        if (!directory.equals(path.getParent())) {
            throw new GuestFailure(Code.INVALID_DEFINITION, "the " + what + " " + path + " is not in the instance's "
                    + "directory " + directory + "; deleting the instance removes that directory and nothing else");
        }
    }
}
