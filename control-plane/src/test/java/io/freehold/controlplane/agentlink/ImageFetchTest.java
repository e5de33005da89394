package io.freehold.controlplane.agentlink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import io.freehold.agent.v1.AgentServiceGrpc;
import io.freehold.agent.v1.FetchImageRequest;
import io.freehold.agent.v1.GuestImage;
import io.freehold.agent.v1.ImageChunk;
import io.freehold.agent.v1.ImagePart;
import io.freehold.agent.v1.KernelBoot;
import io.freehold.agent.v1.PowerState;
import io.freehold.agent.v1.PutGuest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * FetchImage over real mutual-TLS connections: a host gets the bytes of an image part that a command of its own
 * references — whole, from an offset, or a part of several MiB read slowly enough that flow control must pause and
 * resume the stream — and nothing else: not another host's part, not a part no command names, not a malformed name;
 * a referenced part the images directory lacks is NOT_FOUND, an offset past its end OUT_OF_RANGE.
 */
class ImageFetchTest extends AgentLinkApiTest {

    @Autowired
    AgentCommands commands;
    @Autowired
    TransactionTemplate transactions;
    @Autowired
    MeterRegistry meters;

    @Test
    void aHostFetchesAPartItsCommandReferencesWholeOrFromAnOffset() {
        TestAgent agent = joined(uniqueHostname("fetch"));
        byte[] bytes = randomBytes(300_000, 1);
        String sha256 = stored(bytes);
        referencedBy(agent, diskImage(sha256, bytes.length));
        double bytesBefore = bytesServed();

        List<ImageChunk> whole = fetch(agent, sha256, 0);
        assertThat(reassembled(whole, 0, bytes.length)).isEqualTo(bytes);
        assertThat(whole).as("256 KiB chunks").extracting(chunk -> chunk.getData().size()).containsExactly(262_144, 300_000 - 262_144);
        assertThat(bytesServed() - bytesBefore).isEqualTo(bytes.length);

        List<ImageChunk> rest = fetch(agent, sha256, 123_456);
        assertThat(rest.get(0).getOffset()).isEqualTo(123_456);
        assertThat(reassembled(rest, 123_456, bytes.length)).isEqualTo(java.util.Arrays.copyOfRange(bytes, 123_456, bytes.length));

        List<ImageChunk> atTheEnd = fetch(agent, sha256, bytes.length);
        assertThat(atTheEnd).as("one empty chunk tells the size").singleElement().satisfies(chunk -> {
            assertThat(chunk.getData().isEmpty()).isTrue();
            assertThat(chunk.getSizeBytes()).isEqualTo(bytes.length);
        });
    }

    @Test
    void aPartOfSeveralMebibytesReadSlowlyArrivesWholeInOrder() {
        TestAgent agent = joined(uniqueHostname("fetch-large"));
        byte[] bytes = randomBytes(6 * 1024 * 1024 + 17, 2);
        String sha256 = stored(bytes);
        referencedBy(agent, kernelImage(sha256, bytes.length, stored(randomBytes(1000, 3))));

        // The blocking stub asks for one message at a time; reading slowly fills the connection's window, so the
        // server must stop and go on only when gRPC says the stream is ready again.
        Iterator<ImageChunk> chunks = stub(agent).fetchImage(FetchImageRequest.newBuilder().setSha256(sha256).build());
        List<ImageChunk> received = new ArrayList<>();
        while (chunks.hasNext()) {
            received.add(chunks.next());
            if (received.size() % 4 == 0) {
                sleep(Duration.ofMillis(50));
            }
        }
        assertThat(received).allSatisfy(chunk -> assertThat(chunk.getData().size()).isLessThanOrEqualTo(ImageFetches.CHUNK_BYTES));
        assertThat(sha256(reassembled(received, 0, bytes.length))).isEqualTo(sha256);
    }

    @Test
    void aHostGetsNoPartThatNoCommandOfItsOwnReferences() {
        TestAgent owner = joined(uniqueHostname("fetch-owner"));
        TestAgent other = joined(uniqueHostname("fetch-other"));
        byte[] bytes = randomBytes(1000, 4);
        String sha256 = stored(bytes);
        referencedBy(owner, diskImage(sha256, bytes.length));
        String unreferenced = stored(randomBytes(1000, 5));
        double deniedBefore = fetches("denied");

        assertRefused(other, sha256, 0, Status.Code.PERMISSION_DENIED, "no command for host " + other.hostId);
        assertRefused(owner, unreferenced, 0, Status.Code.PERMISSION_DENIED, "references image part " + unreferenced);
        assertThat(fetches("denied") - deniedBefore).isEqualTo(2);
        assertThat(fetch(owner, sha256, 0)).isNotEmpty();
    }

    @Test
    void malformedNamesMissingPartsAndOffsetsOutsideThePartAreRefused() {
        TestAgent agent = joined(uniqueHostname("fetch-refused"));
        byte[] bytes = randomBytes(1000, 6);
        String sha256 = stored(bytes);
        String missing = sha256(randomBytes(10, 7));
        referencedBy(agent, kernelImage(sha256, bytes.length, missing));

        assertRefused(agent, sha256.toUpperCase(), 0, Status.Code.INVALID_ARGUMENT, "64 lowercase hex");
        assertRefused(agent, "../" + sha256.substring(3), 0, Status.Code.INVALID_ARGUMENT, "64 lowercase hex");
        assertRefused(agent, missing, 0, Status.Code.NOT_FOUND, missing);
        assertRefused(agent, sha256, bytes.length + 1, Status.Code.OUT_OF_RANGE, "outside image part");
        assertRefused(agent, sha256, -1, Status.Code.OUT_OF_RANGE, "outside image part");
    }

    @Test
    void aPutGuestNamingAMalformedPartIsNotWritten() {
        TestAgent agent = joined(uniqueHostname("fetch-bad-put"));
        assertThatThrownBy(() -> referencedBy(agent, diskImage("not-a-sha", 1))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("image.disk.sha256");
        assertThat(jdbc.sql("select count(*) from agent_command where host_id = :host").param("host", agent.hostId).query(Long.class).single())
                .isZero();
    }

    private void referencedBy(TestAgent agent, GuestImage image) {
        transactions.executeWithoutResult(status -> commands.putGuest(agent.hostId, PutGuest.newBuilder().setInstanceId("i-fetch")
                .setGeneration(1).setTenantId("t-test").setName("web").setVcpus(1).setMemoryMib(512).setRootDiskGib(1)
                .setPowerState(PowerState.POWER_STATE_RUNNING).setImage(image).build()));
    }

    private static GuestImage diskImage(String sha256, long size) {
        return GuestImage.newBuilder().setImageId("img-test").setDisk(ImagePart.newBuilder().setSha256(sha256).setSizeBytes(size)).build();
    }

    private static GuestImage kernelImage(String kernelSha256, long kernelSize, String initrdSha256) {
        return GuestImage.newBuilder().setImageId("img-test").setKernel(KernelBoot.newBuilder()
                .setKernel(ImagePart.newBuilder().setSha256(kernelSha256).setSizeBytes(kernelSize))
                .setInitrd(ImagePart.newBuilder().setSha256(initrdSha256).setSizeBytes(1))
                .setCmdline("console=ttyS0")).build();
    }

    private AgentServiceGrpc.AgentServiceBlockingStub stub(TestAgent agent) {
        return AgentServiceGrpc.newBlockingStub(agent.channel(agent.mutualTls(agent.key.getPrivate(), agent.certificate)))
                .withDeadlineAfter(30, TimeUnit.SECONDS);
    }

    private List<ImageChunk> fetch(TestAgent agent, String sha256, long offset) {
        List<ImageChunk> chunks = new ArrayList<>();
        stub(agent).fetchImage(FetchImageRequest.newBuilder().setSha256(sha256).setOffset(offset).build()).forEachRemaining(chunks::add);
        return chunks;
    }

    private void assertRefused(TestAgent agent, String sha256, long offset, Status.Code code, String description) {
        assertThatThrownBy(() -> fetch(agent, sha256, offset)).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
            assertThat(e.getStatus().getCode()).isEqualTo(code);
            assertThat(e.getStatus().getDescription()).contains(description);
        });
    }

    /** The chunks' bytes, checking that each starts where the last ended and carries the part's size. */
    private static byte[] reassembled(List<ImageChunk> chunks, long offset, long size) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        long next = offset;
        for (ImageChunk chunk : chunks) {
            assertThat(chunk.getOffset()).isEqualTo(next);
            assertThat(chunk.getSizeBytes()).isEqualTo(size);
            bytes.writeBytes(chunk.getData().toByteArray());
            next += chunk.getData().size();
        }
        assertThat(next).as("the chunks reach the part's end").isEqualTo(size);
        return bytes.toByteArray();
    }

    /** Stores bytes in the images directory by their SHA-256, as the catalog does. */
    private static String stored(byte[] bytes) {
        String sha256 = sha256(bytes);
        try {
            Path directory = Files.createDirectories(home().resolve("images"));
            Files.write(directory.resolve(sha256), bytes);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return sha256;
    }

    private double bytesServed() {
        return meters.get("freehold.agent.image.bytes").counter().count();
    }

    private double fetches(String outcome) {
        return meters.get("freehold.agent.image.fetches").tag("outcome", outcome).counter().count();
    }

    private static byte[] randomBytes(int length, long seed) {
        byte[] bytes = new byte[length];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
