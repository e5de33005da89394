package io.freehold.agent.image;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import io.freehold.agent.guest.GuestFailure;
import io.freehold.agent.guest.GuestFailure.Code;
import io.freehold.agent.guest.ImageParts;
import io.freehold.agent.metrics.AgentMetrics;
import io.freehold.agent.metrics.AgentMetrics.ImageFetch;
import io.freehold.agent.v1.AgentServiceGrpc;
import io.freehold.agent.v1.FetchImageRequest;
import io.freehold.agent.v1.ImageChunk;
import io.freehold.agent.v1.ImagePart;
import io.grpc.Channel;
import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.stub.BlockingClientCall;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The image parts this host holds, each in one file named by its SHA-256 under {@code <guest storage>/images/},
 * fetched from the control plane with {@code FetchImage} the first time a guest needs it. A file under its final name
 * was verified (its size and the SHA-256 of all its bytes) before it was renamed there, so it is used as it is. A
 * download lives in {@code <sha256>.partial} until then; one that broke off is continued from the end of that file by
 * the next call, which hashes the bytes already there first. Bytes that do not match their part are deleted and never
 * used. One download at a time per part; different parts download side by side.
 *
 * <p>Nothing removes parts no guest needs any more, nor partial files of parts never asked for again.
 */
public final class ImageCache implements ImageParts {

    /** The cache's directory under guest storage; instance directories are named {@code i-…}, so it cannot clash. */
    public static final String DIRECTORY = "images";
    static final String PARTIAL_SUFFIX = ".partial";

    /** How hard one call tries before it hands the command back to be delivered again later. */
    record Patience(int attemptsWithoutProgress, Duration retryDelay, Duration idleTimeout) {
    }

    /**
     * Three attempts a second or two apart ride out a replica restart or a brief cut; the control plane's redelivery
     * (30 s) covers longer outages. A minute without a chunk means a stalled stream, which keepalive cannot see.
     */
    static final Patience DEFAULT_PATIENCE = new Patience(3, Duration.ofSeconds(1), Duration.ofSeconds(60));

    private static final Logger log = LoggerFactory.getLogger(ImageCache.class);
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final Set<PosixFilePermission> READABLE_DIR = PosixFilePermissions.fromString("rwxr-xr-x");

    private final Path directory;
    private final Supplier<Optional<Channel>> controlPlane;
    private final AgentMetrics metrics;
    private final Patience patience;
    /** One lock per part ever asked for: a few objects per image, for the life of the process. */
    private final ConcurrentHashMap<String, Object> locks = new ConcurrentHashMap<>();

    /**
     * @param controlPlane the mutual-TLS channel of the current session, empty while not connected
     */
    public ImageCache(Path guestStorage, Supplier<Optional<Channel>> controlPlane, AgentMetrics metrics) {
        this(guestStorage, controlPlane, metrics, DEFAULT_PATIENCE);
    }

    ImageCache(Path guestStorage, Supplier<Optional<Channel>> controlPlane, AgentMetrics metrics, Patience patience) {
        this.directory = guestStorage.toAbsolutePath().resolve(DIRECTORY);
        this.controlPlane = controlPlane;
        this.metrics = metrics;
        this.patience = patience;
    }

    /**
     * The part's file, fetched first when the cache does not hold it yet.
     *
     * @throws GuestFailure {@link Code#IMAGE} when the part is malformed, the control plane does not give it, or its
     *                      bytes are not the part's (nothing of them is kept); {@link Code#UNAVAILABLE} when it cannot be
     *                      fetched now (what arrived is kept and continued next time); {@link Code#STORAGE} when the
     *                      disk fails
     */
    @Override
    public Path local(ImagePart part) throws GuestFailure {
        // Checked before the name goes anywhere near a path: it is the file name.
        if (!SHA256.matcher(part.getSha256()).matches()) {
            throw new GuestFailure(Code.IMAGE, "image part \"" + abbreviated(part.getSha256())
                    + "\" is not named by a lowercase hex SHA-256: not used");
        }
        if (part.getSizeBytes() < 0) {
            throw new GuestFailure(Code.IMAGE, "image part " + part.getSha256() + " has a negative size: not used");
        }
        Path complete = directory.resolve(part.getSha256());
        synchronized (locks.computeIfAbsent(part.getSha256(), sha256 -> new Object())) {
            if (Files.isRegularFile(complete, LinkOption.NOFOLLOW_LINKS)) {
                return complete;
            }
            return fetch(part, complete);
        }
    }

    private Path fetch(ImagePart part, Path complete) throws GuestFailure {
        Path partial = directory.resolve(part.getSha256() + PARTIAL_SUFFIX);
        PartDownload download;
        try {
            createDirectory();
            download = PartDownload.resume(part, partial);
        } catch (IOException e) {
            metrics.imageFetched(ImageFetch.FAILED);
            throw new GuestFailure(Code.STORAGE, "cannot open " + partial + ": " + e.getMessage(), e);
        }
        long lastOffset;
        try (download) {
            log.info("fetching image part sha256={} size_bytes={} from_offset={}", part.getSha256(), part.getSizeBytes(),
                    download.length());
            lastOffset = receive(part, download);
            download.verifyAndRename(complete);
        } catch (Refused e) {
            // Nothing will ever complete this partial file, and nothing else would remove it.
            discard(partial);
            metrics.imageFetched(ImageFetch.FAILED);
            log.warn("image part refused by the control plane sha256={} status={} reason=\"{}\"", part.getSha256(),
                    e.status.getCode(), e.status.getDescription());
            throw new GuestFailure(Code.IMAGE, "the control plane refused image part " + part.getSha256() + ": "
                    + e.status.getCode() + " " + e.status.getDescription(), e);
        } catch (GuestFailure e) {
            if (e.code() == Code.IMAGE) {
                discard(partial);
                metrics.imageFetched(ImageFetch.CHECKSUM_MISMATCH);
                log.warn("image part discarded sha256={} reason=\"{}\"", part.getSha256(), e.reason());
            } else {
                metrics.imageFetched(ImageFetch.FAILED);
                log.warn("image part not fetched, kept for resuming sha256={} bytes_held={} reason=\"{}\"",
                        part.getSha256(), download.length(), e.reason());
            }
            throw e;
        } catch (IOException e) {
            // A failed write may have left part of a chunk that the running hash never saw: start over next time.
            discard(partial);
            metrics.imageFetched(ImageFetch.FAILED);
            throw new GuestFailure(Code.STORAGE, "cannot write image part " + part.getSha256() + " to " + partial + ": "
                    + e.getMessage(), e);
        }
        metrics.imageFetched(lastOffset > 0 ? ImageFetch.RESUMED : ImageFetch.OK);
        log.info("image part fetched sha256={} size_bytes={} path={}", part.getSha256(), part.getSizeBytes(), complete);
        return complete;
    }

    /**
     * Streams the rest of the part into the download, asking again from where it stopped after a broken stream, until
     * {@link Patience#attemptsWithoutProgress} attempts in a row brought nothing.
     *
     * @return the offset the stream that ended the part started from (the part's size when it was already whole)
     */
    private long receive(ImagePart part, PartDownload download) throws GuestFailure, IOException, Refused {
        int failures = 0;
        while (!download.complete()) {
            long before = download.length();
            String broken;
            try {
                Optional<Channel> channel = controlPlane.get();
                if (channel.isEmpty()) {
                    broken = "not connected to the control plane";
                } else {
                    stream(channel.get(), part, download);
                    return before;
                }
            } catch (StatusException e) {
                if (refusal(e.getStatus())) {
                    throw new Refused(e.getStatus());
                }
                broken = e.getStatus().getCode() + " " + e.getStatus().getDescription();
            } catch (TimeoutException e) {
                broken = "no bytes for " + patience.idleTimeout();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new GuestFailure(Code.UNAVAILABLE, "fetching image part " + part.getSha256() + " was interrupted", e);
            }
            failures = download.length() > before ? 1 : failures + 1;
            if (failures >= patience.attemptsWithoutProgress()) {
                throw new GuestFailure(Code.UNAVAILABLE, "cannot fetch image part " + part.getSha256() + " now, "
                        + download.length() + " of " + part.getSizeBytes() + " bytes held: " + broken);
            }
            log.warn("image part fetch broke off sha256={} bytes_held={} reason=\"{}\" retry_in={}", part.getSha256(),
                    download.length(), broken, patience.retryDelay().multipliedBy(failures));
            try {
                Thread.sleep(patience.retryDelay().multipliedBy(failures).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new GuestFailure(Code.UNAVAILABLE, "fetching image part " + part.getSha256() + " was interrupted", e);
            }
        }
        return download.length();
    }

    /** One FetchImage call from the end of the download to the end of the part, or until it breaks. */
    private void stream(Channel channel, ImagePart part, PartDownload download)
            throws GuestFailure, IOException, StatusException, TimeoutException, InterruptedException {
        BlockingClientCall<?, ImageChunk> call = AgentServiceGrpc.newBlockingV2Stub(channel).fetchImage(
                FetchImageRequest.newBuilder().setSha256(part.getSha256()).setOffset(download.length()).build());
        boolean ended = false;
        try {
            for (ImageChunk chunk = next(call); chunk != null; chunk = next(call)) {
                download.append(chunk);
                metrics.imageBytesFetched(chunk.getData().size());
            }
            ended = true;
        } finally {
            if (!ended) {
                // The server would otherwise go on sending into a call nobody reads.
                call.cancel("the agent stopped reading", null);
            }
        }
    }

    private ImageChunk next(BlockingClientCall<?, ImageChunk> call)
            throws StatusException, TimeoutException, InterruptedException {
        return call.read(patience.idleTimeout().toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * The control plane's answers about the part itself, which asking again cannot change: it does not know the part,
     * or no command for this host names it.
     */
    private static boolean refusal(Status status) {
        return status.getCode() == Status.Code.NOT_FOUND || status.getCode() == Status.Code.PERMISSION_DENIED;
    }

    private void createDirectory() throws IOException {
        if (!Files.isDirectory(directory)) {
            Files.createDirectories(directory);
            // Set rather than passed at creation, where the process's umask could narrow it.
            Files.setPosixFilePermissions(directory, READABLE_DIR);
        }
    }

    private static void discard(Path partial) {
        try {
            Files.deleteIfExists(partial);
        } catch (IOException e) {
            log.warn("cannot delete path={} reason=\"{}\"", partial, e.getMessage());
        }
    }

    /** The control plane's refusal of the part, which asking again cannot change. */
    private static final class Refused extends Exception {
        private final transient Status status;

        Refused(Status status) {
            super(status.getCode() + " " + status.getDescription(), null, false, false);
            this.status = status;
        }
    }

    private static String abbreviated(String text) {
        return text.length() <= 80 ? text : text.substring(0, 80) + "…";
    }
}
