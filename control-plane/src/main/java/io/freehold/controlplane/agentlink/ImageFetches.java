package io.freehold.controlplane.agentlink;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.regex.Pattern;

import com.google.protobuf.UnsafeByteOperations;
import io.freehold.agent.v1.FetchImageRequest;
import io.freehold.agent.v1.ImageChunk;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCallStreamObserver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Serves {@code FetchImage}: the bytes of one image part, from the images directory that every replica mounts
 * ({@code freehold.images.dir}, where parts are kept by their SHA-256), to a host that a command of its own
 * references the part by ({@link AgentCommandStore#referencesImage}). The part streams from the asked offset in
 * chunks of {@link #CHUNK_BYTES}, read from the file only as gRPC's flow control asks for more, so a slow agent
 * holds one chunk in memory, never the part, and no thread waits for it.
 */
@Component
class ImageFetches {

    /** How a fetch ended, as {@link AgentLinkMetrics} counts it. */
    enum Outcome { SERVED, INVALID, DENIED, NOT_FOUND, OUT_OF_RANGE, CANCELLED, FAILED }

    /** Far below the 4 MiB an agent's channel accepts per message, large enough that a chunk's overhead does not matter. */
    static final int CHUNK_BYTES = 256 * 1024;

    private static final Logger log = LoggerFactory.getLogger(ImageFetches.class);
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    private final AgentCommandStore commands;
    private final AgentLinkMetrics metrics;
    private final Path directory;

    ImageFetches(AgentCommandStore commands, AgentLinkMetrics metrics, @Value("${freehold.images.dir}") Path directory) {
        this.commands = commands;
        this.metrics = metrics;
        this.directory = directory;
    }

    /**
     * Checks the request, then starts streaming; refusals close the call at once with their status. Runs on the
     * agent link's handler pool, as does everything the transfer does later (gRPC calls its handlers there).
     */
    void fetch(String hostId, FetchImageRequest request, ServerCallStreamObserver<ImageChunk> out) {
        FileChannel file = null;
        try {
            String sha256 = request.getSha256();
            if (!SHA256.matcher(sha256).matches()) {
                throw refusal(Outcome.INVALID, Status.INVALID_ARGUMENT, "sha256 must be 64 lowercase hex digits");
            }
            if (!commands.referencesImage(hostId, sha256)) {
                throw refusal(Outcome.DENIED, Status.PERMISSION_DENIED, "no command for host " + hostId + " references image part " + sha256);
            }
            Path part = directory.resolve(sha256);
            file = open(part, sha256);
            long size = file.size();
            if (request.getOffset() < 0 || request.getOffset() > size) {
                throw refusal(Outcome.OUT_OF_RANGE, Status.OUT_OF_RANGE,
                        "offset " + request.getOffset() + " is outside image part " + sha256 + " of " + size + " bytes");
            }
            new Transfer(hostId, sha256, file, size, request.getOffset(), out).start();
        } catch (Refusal refusal) {
            close(file);
            metrics.imageFetch(refusal.outcome);
            log.info("host {}: FetchImage refused: {}", hostId, refusal.status.getDescription());
            out.onError(refusal.status.asRuntimeException());
        } catch (IOException | RuntimeException e) {
            close(file);
            metrics.imageFetch(Outcome.FAILED);
            log.warn("host {}: FetchImage of {} failed", hostId, request.getSha256(), e);
            out.onError(Status.UNAVAILABLE.withDescription("the control plane could not read the image part; try again").asRuntimeException());
        }
    }

    private static FileChannel open(Path part, String sha256) throws IOException {
        // The catalog may put a part at <dir>/<sha256> only once it is complete and its bytes match: no partial file is served.
        if (!Files.isRegularFile(part)) {
            throw refusal(Outcome.NOT_FOUND, Status.NOT_FOUND, "no image part " + sha256 + " on this control plane");
        }
        try {
            return FileChannel.open(part, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            throw refusal(Outcome.NOT_FOUND, Status.NOT_FOUND, "no image part " + sha256 + " on this control plane");
        }
    }

    private static Refusal refusal(Outcome outcome, Status status, String description) {
        return new Refusal(outcome, status.withDescription(description));
    }

    private static void close(FileChannel file) {
        if (file != null) {
            try {
                file.close();
            } catch (IOException e) {
                log.debug("could not close an image part", e);
            }
        }
    }

    private static final class Refusal extends RuntimeException {
        private final Outcome outcome;
        private final Status status;

        Refusal(Outcome outcome, Status status) {
            super(status.getDescription(), null, false, false);
            this.outcome = outcome;
            this.status = status;
        }
    }

    /**
     * One call's stream. gRPC runs its ready and cancel handlers one at a time for the call, on the handler pool; the
     * lock only guards against the cancel handler racing a handler that is still sending. Always sends at least one
     * chunk, so that an agent asking from the part's end learns its size.
     */
    private final class Transfer {
        private final String hostId;
        private final String sha256;
        private final FileChannel file;
        private final long size;
        private final ServerCallStreamObserver<ImageChunk> out;
        private long position;
        private boolean done;

        Transfer(String hostId, String sha256, FileChannel file, long size, long offset, ServerCallStreamObserver<ImageChunk> out) {
            this.hostId = hostId;
            this.sha256 = sha256;
            this.file = file;
            this.size = size;
            this.position = offset;
            this.out = out;
        }

        void start() {
            out.setOnCancelHandler(this::cancelled);
            // gRPC calls it now if the stream is already ready (it replays the ready signal it had before this method
            // ran), and again whenever the agent's window opens after it was full.
            out.setOnReadyHandler(this::send);
        }

        private synchronized void send() {
            try {
                while (!done && out.isReady()) {
                    int length = (int) Math.min(CHUNK_BYTES, size - position);
                    ByteBuffer chunk = ByteBuffer.allocate(length);
                    while (chunk.hasRemaining()) {
                        if (file.read(chunk, position + chunk.position()) < 0) {
                            throw new EOFException("image part " + sha256 + " is shorter than the " + size + " bytes it had when opened");
                        }
                    }
                    // The buffer is never touched again, so the message may wrap it instead of copying.
                    out.onNext(ImageChunk.newBuilder().setOffset(position).setData(UnsafeByteOperations.unsafeWrap(chunk.array()))
                            .setSizeBytes(size).build());
                    metrics.imageBytesSent(length);
                    position += length;
                    if (position == size) {
                        finish();
                    }
                }
            } catch (IOException | RuntimeException e) {
                if (done) {
                    return;
                }
                done = true;
                close(file);
                metrics.imageFetch(Outcome.FAILED);
                log.warn("host {}: FetchImage of {} failed at offset {}", hostId, sha256, position, e);
                if (!(e instanceof StatusRuntimeException) && !out.isCancelled()) {
                    out.onError(Status.UNAVAILABLE.withDescription("the control plane could not read the image part; resume from offset "
                            + position).asRuntimeException());
                }
            }
        }

        private void finish() {
            done = true;
            close(file);
            out.onCompleted();
            metrics.imageFetch(Outcome.SERVED);
        }

        private synchronized void cancelled() {
            if (!done) {
                done = true;
                close(file);
                metrics.imageFetch(Outcome.CANCELLED);
                log.debug("host {}: FetchImage of {} cancelled at offset {}", hostId, sha256, position);
            }
        }
    }
}
