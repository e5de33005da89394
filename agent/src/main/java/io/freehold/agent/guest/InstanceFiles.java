package io.freehold.agent.guest;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;

import io.freehold.agent.guest.GuestFailure.Code;
import io.freehold.agent.guest.PutOutcome.Change;

/**
 * The files of the instances under guest storage: each instance owns {@code <storage root>/<instance id>/} with its
 * root disk and console log, and nothing of it lives anywhere else, so removing an instance removes exactly its own
 * files.
 */
final class InstanceFiles {

    private static final long GIB = 1024L * 1024 * 1024;
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

    /** Refuses a spec whose disk or console log lies outside its instance's directory. */
    void requireOwn(GuestSpec spec) throws GuestFailure {
        Path directory = directory(spec.instanceId());
        requireIn(directory, "root disk", spec.rootDisk().path());
        requireIn(directory, "console log", spec.consoleLog());
    }

    /**
     * Creates the root disk when it is missing and grows it when it is smaller than the spec and the guest is off.
     * qemu-img must not write an image that a running QEMU has open (QEMU holds a lock on it for that reason), so a
     * running guest's disk is left alone; the return value says growth is still owed.
     */
    boolean prepareRootDisk(GuestSpec spec, boolean guestActive, List<Change> changes) throws GuestFailure {
        Path directory = directory(spec.instanceId());
        Path disk = spec.rootDisk().path();
        long wantedBytes = spec.rootDisk().sizeGib() * GIB;
        try {
            for (Path dir : List.of(storageRoot, directory)) {
                if (!Files.isDirectory(dir)) {
                    Files.createDirectories(dir);
                    // Set afterwards: a mode given at creation is narrowed by the process's umask.
                    Files.setPosixFilePermissions(dir, TRAVERSABLE);
                }
            }
            if (!Files.exists(disk, LinkOption.NOFOLLOW_LINKS)) {
                // Created under another name and renamed: a crash while writing it would otherwise leave a truncated
                // file that every later put takes for the existing disk and never replaces.
                Path partial = disk.resolveSibling(disk.getFileName() + ".partial");
                Files.deleteIfExists(partial);
                EmptyQcow2.create(partial, wantedBytes);
                Files.move(partial, disk, StandardCopyOption.ATOMIC_MOVE);
                changes.add(Change.CREATED_DISK);
                return false;
            }
        } catch (IOException e) {
            throw new GuestFailure(Code.STORAGE, "cannot create the root disk " + disk + ": " + e, e);
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

    private static void requireIn(Path directory, String what, Path path) throws GuestFailure {
        if (!directory.equals(path.getParent())) {
            throw new GuestFailure(Code.INVALID_DEFINITION, "the " + what + " " + path + " is not in the instance's "
                    + "directory " + directory + "; deleting the instance removes that directory and nothing else");
        }
    }
}
