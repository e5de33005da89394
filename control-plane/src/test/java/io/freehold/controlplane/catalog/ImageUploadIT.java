package io.freehold.controlplane.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import io.freehold.controlplane.testing.ControlPlaneProcess;
import io.freehold.controlplane.testing.Fixtures;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A 2 GiB disk reaches the images directory of the packaged control plane, run with a 256 MiB heap: the body
 * streams to disk and is never held in memory, and no size limit stands in the way. The disk is generated on
 * the fly, from a seed, by the client and again by the test; nothing of its size is ever written by the test.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class ImageUploadIT {

    private static final long DISK_BYTES = 2L << 30;
    private static final long SEED = 20261129L;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path home;
    @TempDir
    Path logs;

    private ControlPlaneProcess running;

    @AfterEach
    void stop() throws InterruptedException {
        if (running != null && running.process().isAlive()) {
            running.process().destroy();
            if (!running.process().waitFor(30, TimeUnit.SECONDS)) {
                running.process().destroyForcibly();
            }
        }
    }

    @Test
    void aTwoGibDiskStreamsIntoASmallHeapBecomesActiveAndIsDeletedWithItsFile() throws Exception {
        running = ControlPlaneProcess.start(home, logs.resolve("control-plane.log"), Map.of(), List.of("-Xmx256m"));
        String token = running.adminToken();
        String sha256 = hex(digestOf(new GeneratedDisk(DISK_BYTES, SEED)));
        String id = running.api().post("/api/v1/ops/images", token, Map.of("name", Fixtures.unique("big"), "os", "linux",
                "architecture", "x86_64", "format", "qcow2", "parts", List.of(Map.of("role", "disk", "sha256", sha256))))
                .expect(201).text("id");

        HttpRequest upload = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + running.port() + "/api/v1/images/" + id + "/parts/disk"))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/octet-stream")
                .timeout(Duration.ofMinutes(3))
                // No length given: the body goes chunked, as from a pipe, so nothing may rely on Content-Length.
                .PUT(HttpRequest.BodyPublishers.ofInputStream(() -> new GeneratedDisk(DISK_BYTES, SEED)))
                .build();
        HttpResponse<String> answer = HttpClient.newHttpClient().send(upload, HttpResponse.BodyHandlers.ofString());

        assertThat(answer.statusCode()).as("upload answered %s; log:\n%s", answer.body(), running.output()).isEqualTo(200);
        JsonNode image = JSON.readTree(answer.body());
        assertThat(image.path("status").asString()).isEqualTo("active");
        assertThat(image.path("sizeBytes").asLong()).isEqualTo(DISK_BYTES);
        Path file = home.resolve("images").resolve(sha256);
        assertThat(Files.size(file)).isEqualTo(DISK_BYTES);
        try (InputStream stored = Files.newInputStream(file)) {
            assertThat(hex(digestOf(stored))).as("SHA-256 of the stored file").isEqualTo(sha256);
        }
        assertThat(running.process().isAlive()).as("the control plane survived the upload").isTrue();

        running.api().delete("/api/v1/images/" + id, token).expect(204);
        assertThat(file).doesNotExist();
        try (var left = Files.list(home.resolve("images"))) {
            assertThat(left).as("files left in the images directory").isEmpty();
        }
    }

    private static byte[] digestOf(InputStream in) throws IOException, NoSuchAlgorithmException {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        try (DigestInputStream digesting = new DigestInputStream(in, sha)) {
            byte[] buffer = new byte[1 << 20];
            while (digesting.read(buffer) >= 0) {
                // the digest sees every byte read
            }
        }
        return sha.digest();
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }

    /**
     * {@code size} bytes that begin with a qcow2 header (so the control plane's disk checks pass) and go on
     * with pseudo-random bytes from {@code seed}: the same bytes every time, made as they are read. They are
     * made a fixed block at a time, so they do not depend on how the reads are cut.
     */
    static final class GeneratedDisk extends InputStream {

        private static final int BLOCK_BYTES = 1 << 16;

        private final SplittableRandom random;
        private final long size;
        private final ByteBuffer block = ByteBuffer.allocate(BLOCK_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        private long position;

        GeneratedDisk(long size, long seed) {
            this.size = size;
            this.random = new SplittableRandom(seed);
            block.position(BLOCK_BYTES);
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) {
            if (position >= size) {
                return -1;
            }
            if (!block.hasRemaining()) {
                nextBlock();
            }
            int count = (int) Math.min(Math.min(length, block.remaining()), size - position);
            block.get(buffer, offset, count);
            position += count;
            return count;
        }

        private void nextBlock() {
            boolean first = position == 0;
            block.clear();
            while (block.hasRemaining()) {
                block.putLong(random.nextLong());
            }
            if (first) {
                block.put(0, Fixtures.tinyQcow2());
            }
            block.flip();
        }
    }
}
