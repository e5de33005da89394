package io.freehold.agent.image;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Set;

import io.freehold.agent.guest.GuestFailure;
import io.freehold.agent.guest.GuestFailure.Code;
import io.freehold.agent.v1.ImageChunk;
import io.freehold.agent.v1.ImagePart;

/**
 * One part's {@code <sha256>.partial} file while it is being filled: opened where an earlier download left it (its
 * bytes hashed again, since nothing of a partial file was ever verified), appended to chunk by chunk in order, and
 * renamed to its final name only once its size and SHA-256 are the part's. Not thread-safe: the cache lets one thread
 * at a time download a part.
 */
final class PartDownload implements AutoCloseable {

    /** QEMU runs as libvirt-qemu and opens base images and kernels read-only, straight from the cache. */
    static final Set<PosixFilePermission> READABLE_FILE = PosixFilePermissions.fromString("rw-r--r--");

    private static final int READ_BUFFER = 1 << 20;

    private final ImagePart part;
    private final Path file;
    private final FileChannel channel;
    private final MessageDigest digest;
    private long length;

    private PartDownload(ImagePart part, Path file, FileChannel channel, MessageDigest digest, long length) {
        this.part = part;
        this.file = file;
        this.channel = channel;
        this.digest = digest;
        this.length = length;
    }

    /**
     * Opens (or creates) the partial file and hashes what it holds. A file longer than the part cannot be a beginning of
     * it, so it is started over.
     */
    static PartDownload resume(ImagePart part, Path file) throws IOException {
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE,
                StandardOpenOption.CREATE, LinkOption.NOFOLLOW_LINKS);
        try {
            // Set rather than passed at creation, where the process's umask could narrow it.
            Files.setPosixFilePermissions(file, READABLE_FILE);
            if (channel.size() > part.getSizeBytes()) {
                channel.truncate(0);
            }
            MessageDigest digest = sha256();
            ByteBuffer buffer = ByteBuffer.allocate(READ_BUFFER);
            long position = 0;
            long size = channel.size();
            while (position < size) {
                buffer.clear();
                int read = channel.read(buffer, position);
                if (read < 0) {
                    break;
                }
                digest.update(buffer.array(), 0, read);
                position += read;
            }
            channel.position(position);
            return new PartDownload(part, file, channel, digest, position);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** The bytes held so far: where the next chunk must start. */
    long length() {
        return length;
    }

    boolean complete() {
        return length == part.getSizeBytes();
    }

    /**
     * Appends a chunk, which must start exactly where the file ends, name the part's size and not run past it.
     *
     * @throws GuestFailure {@link Code#IMAGE} when the chunk breaks those rules (nothing of it is written)
     * @throws IOException  when the disk fails, possibly after writing some of it
     */
    void append(ImageChunk chunk) throws GuestFailure, IOException {
        String sha256 = part.getSha256();
        if (chunk.getSizeBytes() != part.getSizeBytes()) {
            throw new GuestFailure(Code.IMAGE, "image part " + sha256 + " has " + chunk.getSizeBytes()
                    + " bytes at the control plane, not " + part.getSizeBytes() + " as the command says: not used");
        }
        if (chunk.getOffset() != length) {
            throw new GuestFailure(Code.IMAGE, "the control plane sent bytes of image part " + sha256 + " from offset "
                    + chunk.getOffset() + " where " + length + " was due: not used");
        }
        if (chunk.getData().size() > part.getSizeBytes() - length) {
            throw new GuestFailure(Code.IMAGE, "the control plane sent more than the " + part.getSizeBytes()
                    + " bytes of image part " + sha256 + ": not used");
        }
        ByteBuffer data = chunk.getData().asReadOnlyByteBuffer();
        digest.update(data.duplicate());
        while (data.hasRemaining()) {
            channel.write(data);
        }
        length += chunk.getData().size();
    }

    /**
     * Makes the bytes durable, checks the whole file against the part and renames it to {@code complete}, so that a
     * file under that name has always been verified.
     *
     * @throws GuestFailure {@link Code#IMAGE} when the size or SHA-256 differs (the file is left for the caller to delete)
     */
    void verifyAndRename(Path complete) throws GuestFailure, IOException {
        channel.force(true);
        if (length != part.getSizeBytes()) {
            throw new GuestFailure(Code.IMAGE, "the control plane ended image part " + part.getSha256() + " after "
                    + length + " of its " + part.getSizeBytes() + " bytes: not used");
        }
        String actual = HexFormat.of().formatHex(digest.digest());
        if (!actual.equals(part.getSha256())) {
            throw new GuestFailure(Code.IMAGE, "image part " + part.getSha256() + " from the control plane has SHA-256 "
                    + actual + ": not used");
        }
        channel.close();
        Files.move(file, complete, StandardCopyOption.ATOMIC_MOVE);
        // The rename is what makes the part usable; without this, a crash could forget it after a guest used it.
        try (FileChannel directory = FileChannel.open(complete.getParent(), StandardOpenOption.READ)) {
            directory.force(true);
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
