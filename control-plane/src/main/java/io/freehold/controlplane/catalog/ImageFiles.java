package io.freehold.controlplane.catalog;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.UUID;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * The images directory: one file per distinct content, named by its SHA-256 in lowercase hex, so that two
 * images with the same part share one file. Uploads arrive in {@code .incoming-*} files in the same
 * directory (so the final rename is atomic) and get their content-addressed name only once complete,
 * flushed to disk and matched; a name of 64 hex digits therefore always holds exactly those bytes. No SQL
 * here: which files are still needed is {@link ImageStore}'s business.
 */
@Component
class ImageFiles {

    private static final Logger log = LoggerFactory.getLogger(ImageFiles.class);
    private static final Pattern SHA256 = Pattern.compile(ImageRequests.SHA256);
    private static final String INCOMING = ".incoming-";
    /** Enough of a file's start for the format checks ({@link Qcow2Header}). */
    static final int HEAD_BYTES = 512;
    private static final int BUFFER_BYTES = 1 << 20;
    /** Far longer than any upload pauses between two writes; a stale file is a crash's leftover. */
    private static final Duration STALE_INCOMING = Duration.ofDays(1);

    /**
     * A body received into a temporary file of the images directory.
     *
     * @param head the first {@link #HEAD_BYTES} bytes, or all of them when the file is shorter
     */
    record Received(Path temporary, String sha256, long sizeBytes, byte[] head) {
    }

    /** The request body ended before its end: the client broke off or sent less than it announced. */
    static final class BodyBrokeOff extends Exception {
        final long receivedBytes;

        BodyBrokeOff(long receivedBytes, IOException cause) {
            super(cause.getMessage(), cause);
            this.receivedBytes = receivedBytes;
        }
    }

    private final Path directory;
    private final Clock clock;

    ImageFiles(ImageProperties properties, Clock clock) {
        this.clock = clock;
        this.directory = properties.dir().toAbsolutePath().normalize();
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the images directory " + directory, e);
        }
    }

    Path directory() {
        return directory;
    }

    /** Where the file with this SHA-256 lives (or would live). @throws IllegalArgumentException unless 64 lowercase hex digits */
    Path path(String sha256) {
        if (sha256 == null || !SHA256.matcher(sha256).matches()) {
            throw new IllegalArgumentException("not a SHA-256 in lowercase hex: " + sha256);
        }
        return directory.resolve(sha256);
    }

    /**
     * Copies the body into a new temporary file while hashing it, a buffer at a time (never the whole body in
     * memory), and flushes it to disk. The caller must {@link #install} or {@link #discard} the result.
     *
     * @throws BodyBrokeOff reading the body failed; nothing is left behind
     * @throws IOException writing the file failed (a full or broken disk); nothing is left behind
     */
    Received receive(InputStream body, String label) throws BodyBrokeOff, IOException {
        Path temporary = directory.resolve(INCOMING + label + "-" + UUID.randomUUID());
        MessageDigest sha256 = newDigest();
        byte[] buffer = new byte[BUFFER_BYTES];
        byte[] head = new byte[HEAD_BYTES];
        long size = 0;
        boolean complete = false;
        try (FileChannel out = FileChannel.open(temporary, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            while (true) {
                int read;
                try {
                    read = body.read(buffer);
                } catch (IOException e) {
                    throw new BodyBrokeOff(size, e);
                }
                if (read < 0) {
                    break;
                }
                if (size < HEAD_BYTES) {
                    System.arraycopy(buffer, 0, head, (int) size, (int) Math.min(read, HEAD_BYTES - size));
                }
                sha256.update(buffer, 0, read);
                ByteBuffer chunk = ByteBuffer.wrap(buffer, 0, read);
                while (chunk.hasRemaining()) {
                    out.write(chunk);
                }
                size += read;
            }
            // Durable before it can be named as matched: a crash must never leave a short file under a SHA-256 name.
            out.force(true);
            complete = true;
        } finally {
            if (!complete) {
                Files.deleteIfExists(temporary);
            }
        }
        return new Received(temporary, HexFormat.of().formatHex(sha256.digest()), size, Arrays.copyOf(head, (int) Math.min(size, HEAD_BYTES)));
    }

    /**
     * Gives the received file its content-addressed name. When a file of that name exists already (another
     * image has the same part), it holds the same bytes, so it is kept and the new copy dropped. Call with the
     * file's lock held ({@link ImageStore#lockFile}), so that no delete removes the name meanwhile.
     */
    void install(Received received) throws IOException {
        Path target = path(received.sha256());
        if (Files.exists(target)) {
            Files.deleteIfExists(received.temporary());
            return;
        }
        try {
            Files.move(received.temporary(), target, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException raced) {
            Files.deleteIfExists(received.temporary());
            return;
        }
        // The rename itself must survive a crash too, or a part recorded as uploaded could lose its file.
        try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
            dir.force(true);
        }
    }

    /** Drops a received file that will not be installed; a failure to delete is logged, not thrown. */
    void discard(Received received) {
        try {
            Files.deleteIfExists(received.temporary());
        } catch (IOException e) {
            log.warn("Could not delete the unused upload {}: {}", received.temporary(), e.toString());
        }
    }

    /** Removes the file of a content no image names any more; call with the file's lock held. */
    void remove(String sha256) throws IOException {
        Files.deleteIfExists(path(sha256));
    }

    /**
     * Deletes temporary files untouched for longer than {@code age}: uploads that a crash cut short. An upload
     * in progress writes continuously, so its file is never that old; other replicas' uploads are safe too.
     *
     * @return how many were deleted
     */
    int sweepIncomingOlderThan(Duration age, Instant now) throws IOException {
        int deleted = 0;
        try (DirectoryStream<Path> incoming = Files.newDirectoryStream(directory, INCOMING + "*")) {
            for (Path file : incoming) {
                if (Files.getLastModifiedTime(file).toInstant().isBefore(now.minus(age)) && Files.deleteIfExists(file)) {
                    deleted++;
                }
            }
        }
        return deleted;
    }

    @EventListener(ApplicationReadyEvent.class)
    void sweepLeftoversAtStart() {
        try {
            int deleted = sweepIncomingOlderThan(STALE_INCOMING, clock.instant());
            if (deleted > 0) {
                log.info("Deleted {} upload(s) in {} that a crash cut short", deleted, directory);
            }
        } catch (IOException e) {
            log.warn("Could not look for cut-short uploads in {}: {}", directory, e.toString());
        }
    }

    private static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
