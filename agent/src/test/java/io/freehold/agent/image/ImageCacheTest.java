package io.freehold.agent.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import com.google.protobuf.ByteString;
import io.freehold.agent.guest.GuestFailure;
import io.freehold.agent.guest.GuestFailure.Code;
import io.freehold.agent.metrics.AgentMetrics;
import io.freehold.agent.v1.AgentServiceGrpc;
import io.freehold.agent.v1.FetchImageRequest;
import io.freehold.agent.v1.ImageChunk;
import io.freehold.agent.v1.ImagePart;
import io.grpc.Channel;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.InsecureServerCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The image cache against a real gRPC server on loopback that serves {@code FetchImage} from a byte array, as the
 * control plane serves it from its images directory, and that can break, stall, refuse or lie on cue.
 */
class ImageCacheTest {

    private static final int CHUNK = 4096;
    private static final ImageCache.Patience QUICK = new ImageCache.Patience(3, Duration.ofMillis(20), Duration.ofSeconds(5));

    @TempDir
    Path storage;

    private final PartServer control = new PartServer();
    private final AgentMetrics metrics = new AgentMetrics();
    private Server server;
    private ManagedChannel channel;

    @BeforeEach
    void start() throws IOException {
        server = NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                InsecureServerCredentials.create()).addService(control).build().start();
        channel = Grpc.newChannelBuilderForAddress("127.0.0.1", server.getPort(), InsecureChannelCredentials.create()).build();
    }

    @AfterEach
    void stop() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    @Test
    void fetchesAWholePartVerifiesItAndKeepsItReadableByQemu() throws Exception {
        byte[] bytes = bytes(10 * CHUNK + 123, 1);
        control.serve(bytes);

        Path file = cache(QUICK).local(part(bytes));

        assertThat(file).isEqualTo(storage.toAbsolutePath().resolve("images").resolve(sha256(bytes)));
        assertThat(Files.readAllBytes(file)).isEqualTo(bytes);
        assertThat(control.requests).extracting(FetchImageRequest::getOffset).containsExactly(0L);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-r--r--");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent()))).isEqualTo("rwxr-xr-x");
        assertThat(filesIn(file.getParent())).containsExactly(sha256(bytes));
        assertThat(scrape()).contains("freehold_agent_image_fetches_total{outcome=\"ok\"} 1.0")
                .contains("freehold_agent_image_fetched_bytes_total " + bytes.length + ".0");
    }

    @Test
    void aPartTheCacheHoldsIsReturnedWithoutAskingTheControlPlane() throws Exception {
        byte[] bytes = bytes(3 * CHUNK, 2);
        control.serve(bytes);
        ImageCache cache = cache(QUICK);
        Path first = cache.local(part(bytes));

        Path again = new ImageCache(storage, Optional::empty, metrics).local(part(bytes));

        assertThat(again).isEqualTo(first);
        assertThat(control.requests).hasSize(1);
    }

    @Test
    void aStreamThatBreaksOffIsResumedWhereItStoppedWithinTheSameCall() throws Exception {
        byte[] bytes = bytes(8 * CHUNK, 3);
        control.serve(bytes);
        control.breakAfter(3 * CHUNK + 17, 1);

        Path file = cache(QUICK).local(part(bytes));

        assertThat(Files.readAllBytes(file)).isEqualTo(bytes);
        assertThat(control.requests).extracting(FetchImageRequest::getOffset).containsExactly(0L, 3L * CHUNK + 17);
        assertThat(scrape()).contains("freehold_agent_image_fetches_total{outcome=\"resumed\"} 1.0")
                .contains("freehold_agent_image_fetched_bytes_total " + bytes.length + ".0");
    }

    @Test
    void aCallThatGivesUpKeepsWhatArrivedAndTheNextCallContinuesFromThere() throws Exception {
        byte[] bytes = bytes(8 * CHUNK, 4);
        control.serve(bytes);
        // Breaks at the same place every time: three attempts in a row bring nothing new.
        control.breakAfter(5 * CHUNK, 4);
        ImageCache cache = cache(QUICK);

        GuestFailure failure = catchThrowableOfType(() -> cache.local(part(bytes)), GuestFailure.class);

        assertThat(failure.code()).isEqualTo(Code.UNAVAILABLE);
        assertThat(failure.reason()).contains(5 * CHUNK + " of " + bytes.length + " bytes held");
        Path partial = storage.resolve("images").resolve(sha256(bytes) + ".partial");
        assertThat(Files.size(partial)).isEqualTo(5L * CHUNK);
        assertThat(scrape()).contains("freehold_agent_image_fetches_total{outcome=\"failed\"} 1.0");

        Path file = cache.local(part(bytes));

        assertThat(Files.readAllBytes(file)).isEqualTo(bytes);
        assertThat(control.requests).extracting(FetchImageRequest::getOffset)
                .containsExactly(0L, 5L * CHUNK, 5L * CHUNK, 5L * CHUNK, 5L * CHUNK);
        assertThat(partial).doesNotExist();
        assertThat(scrape()).contains("freehold_agent_image_fetches_total{outcome=\"resumed\"} 1.0");
    }

    @Test
    void bytesThatDoNotMatchTheSha256AreRefusedAndNothingOfThemIsKept() throws Exception {
        byte[] wanted = bytes(4 * CHUNK, 5);
        byte[] other = bytes(4 * CHUNK, 6);
        control.serve(other);

        GuestFailure failure = catchThrowableOfType(() -> cache(QUICK).local(part(wanted)), GuestFailure.class);

        assertThat(failure.code()).isEqualTo(Code.IMAGE);
        assertThat(failure.reason()).isEqualTo("image part " + sha256(wanted) + " from the control plane has SHA-256 "
                + sha256(other) + ": not used");
        assertThat(filesIn(storage.resolve("images"))).isEmpty();
        assertThat(scrape()).contains("freehold_agent_image_fetches_total{outcome=\"checksum_mismatch\"} 1.0");
    }

    @Test
    void aPartialFileThatWasNotTheBeginningOfThePartIsFoundOutWhenTheWholeIsChecked() throws Exception {
        byte[] bytes = bytes(4 * CHUNK, 7);
        control.serve(bytes);
        Path images = Files.createDirectories(storage.resolve("images"));
        Files.write(images.resolve(sha256(bytes) + ".partial"), bytes(CHUNK, 8));

        GuestFailure failure = catchThrowableOfType(() -> cache(QUICK).local(part(bytes)), GuestFailure.class);

        assertThat(failure.code()).isEqualTo(Code.IMAGE);
        assertThat(control.requests).extracting(FetchImageRequest::getOffset).containsExactly((long) CHUNK);
        assertThat(filesIn(images)).isEmpty();
        // Having discarded it, the next delivery of the command starts over and gets the real part.
        assertThat(Files.readAllBytes(cache(QUICK).local(part(bytes)))).isEqualTo(bytes);
    }

    @Test
    void aChunkOutOfPlaceIsRefused() throws Exception {
        byte[] bytes = bytes(4 * CHUNK, 9);
        control.serve(bytes);
        control.skipChunk.set(2);

        GuestFailure failure = catchThrowableOfType(() -> cache(QUICK).local(part(bytes)), GuestFailure.class);

        assertThat(failure.code()).isEqualTo(Code.IMAGE);
        assertThat(failure.reason()).contains("from offset " + 3 * CHUNK + " where " + 2 * CHUNK + " was due");
        assertThat(filesIn(storage.resolve("images"))).isEmpty();
    }

    @Test
    void aPartTheControlPlaneDoesNotKnowFailsWithItsWords() throws Exception {
        byte[] bytes = bytes(CHUNK, 10);
        control.refuse(Status.NOT_FOUND.withDescription("no image part " + sha256(bytes)));

        GuestFailure failure = catchThrowableOfType(() -> cache(QUICK).local(part(bytes)), GuestFailure.class);

        assertThat(failure.code()).isEqualTo(Code.IMAGE);
        assertThat(failure.reason()).isEqualTo("the control plane refused image part " + sha256(bytes)
                + ": NOT_FOUND no image part " + sha256(bytes));
        assertThat(control.requests).as("a refusal is not retried").hasSize(1);
        assertThat(filesIn(storage.resolve("images"))).isEmpty();
        assertThat(scrape()).contains("freehold_agent_image_fetches_total{outcome=\"failed\"} 1.0");
    }

    @Test
    void withoutASessionThePartIsUnavailable() {
        byte[] bytes = bytes(CHUNK, 11);
        ImageCache cache = new ImageCache(storage, Optional::empty, metrics, QUICK);

        GuestFailure failure = catchThrowableOfType(() -> cache.local(part(bytes)), GuestFailure.class);

        assertThat(failure.code()).isEqualTo(Code.UNAVAILABLE);
        assertThat(failure.reason()).endsWith("0 of " + CHUNK + " bytes held: not connected to the control plane");
    }

    @Test
    void aStreamThatStallsIsGivenUpAndWhatArrivedIsKept() throws Exception {
        byte[] bytes = bytes(4 * CHUNK, 12);
        control.serve(bytes);
        control.stallAfter(CHUNK);
        ImageCache cache = new ImageCache(storage, () -> Optional.of(channel), metrics,
                new ImageCache.Patience(2, Duration.ofMillis(20), Duration.ofMillis(300)));

        GuestFailure failure = catchThrowableOfType(() -> cache.local(part(bytes)), GuestFailure.class);

        assertThat(failure.code()).isEqualTo(Code.UNAVAILABLE);
        assertThat(failure.reason()).contains("no bytes for PT0.3S");
        assertThat(Files.size(storage.resolve("images").resolve(sha256(bytes) + ".partial"))).isEqualTo(CHUNK);
    }

    @Test
    void twoCallsForOnePartDownloadItOnce() throws Exception {
        byte[] bytes = bytes(6 * CHUNK, 13);
        control.serve(bytes);
        CountDownLatch release = new CountDownLatch(1);
        control.holdUntil(release);
        ImageCache cache = cache(QUICK);
        AtomicReference<Object> first = new AtomicReference<>();
        AtomicReference<Object> second = new AtomicReference<>();
        Thread one = new Thread(() -> first.set(localOrFailure(cache, part(bytes))));
        Thread two = new Thread(() -> second.set(localOrFailure(cache, part(bytes))));

        one.start();
        await().atMost(5, TimeUnit.SECONDS).until(() -> control.requests.size() == 1);
        two.start();
        await().atMost(5, TimeUnit.SECONDS).until(() -> two.getState() == Thread.State.BLOCKED);
        release.countDown();
        one.join(5000);
        two.join(5000);

        assertThat(first.get()).isInstanceOf(Path.class).isEqualTo(second.get());
        assertThat(Files.readAllBytes((Path) first.get())).isEqualTo(bytes);
        assertThat(control.requests).hasSize(1);
    }

    @Test
    void aNameThatIsNotASha256NeverReachesTheFileSystem() {
        ImageCache cache = cache(QUICK);
        for (String name : List.of("../../etc/passwd", "A".repeat(64), "0".repeat(63), "0".repeat(64) + "/x", "")) {
            GuestFailure failure = catchThrowableOfType(
                    () -> cache.local(ImagePart.newBuilder().setSha256(name).setSizeBytes(1).build()), GuestFailure.class);

            assertThat(failure.code()).as(name).isEqualTo(Code.IMAGE);
            assertThat(failure.reason()).as(name).contains("is not named by a lowercase hex SHA-256");
        }
        assertThat(storage.resolve("images")).doesNotExist();
        assertThat(control.requests).isEmpty();
    }

    private ImageCache cache(ImageCache.Patience patience) {
        return new ImageCache(storage, () -> Optional.<Channel>of(channel), metrics, patience);
    }

    private static Object localOrFailure(ImageCache cache, ImagePart part) {
        try {
            return cache.local(part);
        } catch (GuestFailure e) {
            return e;
        }
    }

    private String scrape() {
        return PrometheusTextFormatWriter.create().toDebugString(metrics.registry().scrape());
    }

    private static List<String> filesIn(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.map(file -> file.getFileName().toString()).toList();
        }
    }

    private static byte[] bytes(int length, long seed) {
        byte[] bytes = new byte[length];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private static ImagePart part(byte[] bytes) {
        return ImagePart.newBuilder().setSha256(sha256(bytes)).setSizeBytes(bytes.length).build();
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Serves one part's bytes in chunks of {@link #CHUNK} from the offset asked for, as the control plane does, and
     * misbehaves when told to: breaks the stream at an offset a number of times, stalls, skips a chunk, refuses, or
     * waits for a latch before answering.
     */
    private static final class PartServer extends AgentServiceGrpc.AgentServiceImplBase {

        final List<FetchImageRequest> requests = new CopyOnWriteArrayList<>();
        final AtomicInteger skipChunk = new AtomicInteger(-1);
        private volatile byte[] bytes = new byte[0];
        private volatile long breakAt = -1;
        private final AtomicInteger breaksLeft = new AtomicInteger();
        private volatile long stallAt = -1;
        private volatile Status refusal;
        private volatile CountDownLatch hold = new CountDownLatch(0);

        void serve(byte[] part) {
            bytes = part;
        }

        void breakAfter(long offset, int times) {
            breakAt = offset;
            breaksLeft.set(times);
        }

        void stallAfter(long offset) {
            stallAt = offset;
        }

        void refuse(Status status) {
            refusal = status;
        }

        void holdUntil(CountDownLatch latch) {
            hold = latch;
        }

        @Override
        public void fetchImage(FetchImageRequest request, StreamObserver<ImageChunk> responses) {
            requests.add(request);
            if (refusal != null) {
                responses.onError(refusal.asRuntimeException());
                return;
            }
            try {
                if (!hold.await(10, TimeUnit.SECONDS)) {
                    responses.onError(Status.DEADLINE_EXCEEDED.asRuntimeException());
                    return;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            boolean breaking = breakAt >= request.getOffset() && breaksLeft.getAndDecrement() > 0;
            long end = breaking ? breakAt : bytes.length;
            if (stallAt >= request.getOffset()) {
                end = stallAt;
            }
            int index = 0;
            for (long offset = request.getOffset(); offset < end; index++) {
                int length = (int) Math.min(CHUNK, end - offset);
                if (index != skipChunk.get()) {
                    responses.onNext(ImageChunk.newBuilder().setOffset(offset).setSizeBytes(bytes.length)
                            .setData(ByteString.copyFrom(bytes, (int) offset, length)).build());
                }
                offset += length;
            }
            if (breaking) {
                responses.onError(Status.UNAVAILABLE.withDescription("connection reset").asRuntimeException());
            } else if (stallAt < request.getOffset()) {
                responses.onCompleted();
            }
        }
    }
}
