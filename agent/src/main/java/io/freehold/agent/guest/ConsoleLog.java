package io.freehold.agent.guest;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import com.google.protobuf.ByteString;

import io.freehold.agent.guest.GuestFailure.Code;
import io.freehold.agent.v1.ConsoleTail;

/**
 * Reads the end of a guest's serial console log, {@code <instance directory>/console.log}, which virtlogd writes for
 * QEMU. Reading changes nothing. Only the current file is read: what virtlogd rotated away ({@code console.log.N}) is
 * older than any tail a person asks for, unless the rotation just happened.
 */
final class ConsoleLog {

    /** What a tail holds when the command asks for no particular amount: a few screens. */
    static final int DEFAULT_BYTES = 16 * 1024;
    /** Far below the 1 MiB a message on the stream may have, with room for everything else in it. */
    static final int MAX_BYTES = 64 * 1024;

    private ConsoleLog() {
    }

    /**
     * At most {@code maxBytes} (0 or less: {@link #DEFAULT_BYTES}; at most {@link #MAX_BYTES}) from the end of the log.
     * A guest whose console wrote nothing yet, or whose log virtlogd has not opened yet, has an empty tail.
     *
     * @throws GuestFailure {@link Code#NO_SUCH_DOMAIN} when the instance has no directory on this host, {@link Code#STORAGE}
     *                      when the log cannot be read
     */
    static ConsoleTail tail(Path storageRoot, String instanceId, int maxBytes) throws GuestFailure {
        Path directory = storageRoot.toAbsolutePath().resolve(GuestSpec.requireInstanceId(instanceId));
        int wanted = maxBytes <= 0 ? DEFAULT_BYTES : Math.min(maxBytes, MAX_BYTES);
        if (!Files.isDirectory(directory, LinkOption.NOFOLLOW_LINKS)) {
            throw new GuestFailure(Code.NO_SUCH_DOMAIN, "no console of " + instanceId + ": the instance has no directory "
                    + directory + " on this host");
        }
        Path log = directory.resolve(Guests.CONSOLE_LOG_FILE);
        // Not following a link: the log is virtlogd's plain file, and a link there would read some other file.
        try (FileChannel channel = FileChannel.open(log, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            long size = channel.size();
            long from = Math.max(0, size - wanted);
            ByteBuffer data = ByteBuffer.allocate((int) (size - from));
            // The guest may write on meanwhile: the tail ends where the size was read. A log rotated away meanwhile ends
            // early, and what was read is the tail.
            int read = 0;
            while (data.hasRemaining() && read >= 0) {
                read = channel.read(data, from + data.position());
            }
            data.flip();
            return ConsoleTail.newBuilder().setData(ByteString.copyFrom(data)).setTruncated(from > 0).build();
        } catch (NoSuchFileException e) {
            return ConsoleTail.getDefaultInstance();
        } catch (IOException e) {
            throw new GuestFailure(Code.STORAGE, "cannot read the console log " + log + ": " + e, e);
        }
    }
}
