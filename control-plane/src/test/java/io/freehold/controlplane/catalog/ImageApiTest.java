package io.freehold.controlplane.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.freehold.controlplane.testing.ApiResponse;
import io.freehold.controlplane.testing.ApiTest;
import io.freehold.controlplane.testing.Fixtures;
import io.freehold.controlplane.testing.Fixtures.Principal;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

/**
 * Images: a tenant declares one with its parts' SHA-256s, uploads each part as a streamed body, and the
 * image becomes active once every part matched; files live once per content in the images directory. Tests
 * share the database and the images directory, so each makes its own content (a unique kernel, say) and
 * checks only its own files.
 */
class ImageApiTest extends ApiTest {

    private static final String IMAGES = "/api/v1/images";
    private static final Map<String, String> OCTETS = Map.of("Content-Type", "application/octet-stream");

    @Autowired
    private Images images;
    @Autowired
    private JdbcClient jdbc;
    @Autowired
    private PlatformTransactionManager transactions;

    @Test
    void aTenantsQcow2ImageBecomesActiveWhenItsDiskArrivesAndTheFileIsNamedByItsSha256() throws IOException {
        Principal member = fixtures.principal(fixtures.tenant(), "tenant-member");
        byte[] disk = uniqueQcow2();
        String sha = Fixtures.sha256(disk);
        ApiResponse created = api.post(IMAGES, member.token(), qcow2(Fixtures.unique("debian"), sha)).expect(201);
        String id = created.text("id");
        assertThat(created.header("Location")).isEqualTo(IMAGES + "/" + id);
        assertThat(created.text("status")).isEqualTo("uploading");
        assertThat(created.text("visibility")).isEqualTo("private");
        assertThat(created.json().has("kernelCmdline")).isFalse();

        JsonNode active = api.send("PUT", IMAGES + "/" + id + "/parts/disk", member.token(), disk, OCTETS).expect(200).json();

        assertThat(active.path("status").asString()).isEqualTo("active");
        assertThat(active.path("sizeBytes").asLong()).isEqualTo(disk.length);
        assertThat(active.path("parts").get(0).path("sizeBytes").asLong()).isEqualTo(disk.length);
        assertThat(active.path("parts").get(0).path("uploadedAt").isString()).isTrue();
        assertThat(Files.readAllBytes(imagesDir().resolve(sha))).isEqualTo(disk);
        assertThat(images.partFile(sha)).isEqualTo(imagesDir().resolve(sha).toAbsolutePath());
        assertThat(incomingFilesOf(id)).as("temporary upload files of %s", id).isEmpty();
    }

    @Test
    void aWrongChecksumIsRefusedNamingBothValuesKeepsNothingAndTheSamePutCanBeRepeated() throws IOException {
        Principal admin = fixtures.principal(fixtures.tenant(), "tenant-admin");
        byte[] disk = uniqueQcow2();
        byte[] wrong = disk.clone();
        wrong[300] ^= 1;
        String id = api.post(IMAGES, admin.token(), qcow2(Fixtures.unique("retry"), Fixtures.sha256(disk))).expect(201).text("id");

        JsonNode problem = api.send("PUT", IMAGES + "/" + id + "/parts/disk", admin.token(), wrong, OCTETS)
                .expectProblem(422, "checksum-mismatch").json();

        assertThat(problem.path("errors").get(0).path("field").asString()).isEqualTo("body");
        assertThat(problem.path("errors").get(0).path("message").asString())
                .isEqualTo("expected SHA-256 " + Fixtures.sha256(disk) + ", got " + Fixtures.sha256(wrong));
        JsonNode after = api.get(IMAGES + "/" + id, admin.token()).expect(200).json();
        assertThat(after.path("status").asString()).isEqualTo("uploading");
        assertThat(after.path("parts").get(0).has("uploadedAt")).isFalse();
        assertThat(imagesDir().resolve(Fixtures.sha256(wrong))).doesNotExist();
        assertThat(incomingFilesOf(id)).isEmpty();

        api.send("PUT", IMAGES + "/" + id + "/parts/disk", admin.token(), disk, OCTETS).expect(200);
        assertThat(api.get(IMAGES + "/" + id, admin.token()).expect(200).text("status")).isEqualTo("active");
        // Sending the same part again is verified and changes nothing.
        JsonNode again = api.send("PUT", IMAGES + "/" + id + "/parts/disk", admin.token(), disk, OCTETS).expect(200).json();
        assertThat(again.path("status").asString()).isEqualTo("active");
        api.send("PUT", IMAGES + "/" + id + "/parts/disk", admin.token(), wrong, OCTETS).expectProblem(422, "checksum-mismatch");
        assertThat(Files.readAllBytes(imagesDir().resolve(Fixtures.sha256(disk)))).isEqualTo(disk);
    }

    @Test
    void aKernelAndInitrdImageGetsTheSerialConsoleByDefaultAndIsActiveOnlyWithBothParts() throws IOException {
        String tenant = fixtures.tenant();
        Principal member = fixtures.principal(tenant, "tenant-member");
        byte[] kernel = unique("kernel");
        byte[] initrd = unique("initrd");
        String id = api.post(IMAGES, member.token(), kernelInitrd(Fixtures.unique("tiny"), kernel, initrd, null)).expect(201).text("id");
        assertThat(api.get(IMAGES + "/" + id, member.token()).expect(200).text("kernelCmdline")).isEqualTo("console=ttyS0");

        JsonNode half = api.send("PUT", IMAGES + "/" + id + "/parts/kernel", member.token(), kernel, OCTETS).expect(200).json();
        assertThat(half.path("status").asString()).isEqualTo("uploading");
        assertThat(half.has("sizeBytes")).isFalse();
        assertThat(images.usableBy(tenant, id)).as("an image still uploading").isEmpty();

        JsonNode whole = api.send("PUT", IMAGES + "/" + id + "/parts/initrd", member.token(), initrd, OCTETS).expect(200).json();
        assertThat(whole.path("status").asString()).isEqualTo("active");
        assertThat(whole.path("sizeBytes").asLong()).isEqualTo(kernel.length + initrd.length);
        assertThat(images.usableBy(tenant, id)).get().extracting(Image::status).isEqualTo(ImageStatus.ACTIVE);
        assertThat(Files.readAllBytes(images.partFile(Fixtures.sha256(initrd)))).isEqualTo(initrd);
    }

    @Test
    void aRetriedCreateWithTheSameIdempotencyKeyIsAnsweredFromTheFirstAndMakesOneImage() {
        Principal member = fixtures.principal(fixtures.tenant(), "tenant-member");
        String name = Fixtures.unique("once");
        Map<String, String> key = Map.of("Idempotency-Key", Fixtures.unique("key"));
        Map<String, Object> body = qcow2(name, Fixtures.sha256(uniqueQcow2()));

        ApiResponse first = api.post(IMAGES, member.token(), body, key).expect(201);
        ApiResponse replay = api.post(IMAGES, member.token(), body, key).expect(201);

        assertThat(replay.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(replay.text("id")).isEqualTo(first.text("id"));
        assertThat(api.get(IMAGES + "?name=" + name, member.token()).expect(200).json().path("items")).hasSize(1);
        api.post(IMAGES, member.token(), qcow2(name, Fixtures.sha256(uniqueQcow2())), key).expectProblem(422, "idempotency-key-reused");
        api.post(IMAGES, member.token(), body).expectProblem(409, "conflict");
    }

    @Test
    void anotherTenantsImageDoesNotExistForATenantWhateverItTries() {
        String tenantA = fixtures.tenant();
        Principal ownerA = fixtures.principal(tenantA, "tenant-admin");
        Principal adminB = fixtures.principal(fixtures.tenant(), "tenant-admin");
        byte[] disk = uniqueQcow2();
        String id = api.post(IMAGES, ownerA.token(), qcow2(Fixtures.unique("secret"), Fixtures.sha256(disk))).expect(201).text("id");

        api.get(IMAGES + "/" + id, adminB.token()).expectProblem(404, "not-found");
        api.send("PUT", IMAGES + "/" + id + "/parts/disk", adminB.token(), disk, OCTETS).expectProblem(404, "not-found");
        api.delete(IMAGES + "/" + id, adminB.token()).expectProblem(404, "not-found");
        api.get(IMAGES + "?tenant=" + tenantA, adminB.token()).expectProblem(404, "not-found");
        assertThat(ids(api.get(IMAGES, adminB.token()).expect(200).json())).doesNotContain(id);
        assertThat(ids(api.get(IMAGES, ownerA.token()).expect(200).json())).contains(id);
        assertThat(images.usableBy(fixtures.tenant(), id)).isEmpty();
        assertThat(imagesDir().resolve(Fixtures.sha256(disk))).as("the foreign upload left no file").doesNotExist();
    }

    @Test
    void operatorsMakePublicImagesThatEveryTenantSeesAndUsesButOnlyOperatorsChange() {
        String tenant = fixtures.tenant();
        Principal admin = fixtures.principal(tenant, "tenant-admin");
        byte[] disk = uniqueQcow2();
        String name = Fixtures.unique("public");

        api.post("/api/v1/ops/images", admin.token(), qcow2(name, Fixtures.sha256(disk))).expectProblem(403, "forbidden");
        ApiResponse created = api.post("/api/v1/ops/images", fixtures.adminToken(), qcow2(name, Fixtures.sha256(disk))).expect(201);
        String id = created.text("id");
        assertThat(created.text("visibility")).isEqualTo("public");
        assertThat(created.json().has("tenantId")).isFalse();

        assertThat(api.get(IMAGES + "/" + id, admin.token()).expect(200).text("name")).isEqualTo(name);
        assertThat(ids(api.get(IMAGES + "?name=" + name, admin.token()).expect(200).json())).containsExactly(id);
        api.send("PUT", IMAGES + "/" + id + "/parts/disk", admin.token(), disk, OCTETS).expectProblem(403, "forbidden");
        api.delete(IMAGES + "/" + id, admin.token()).expectProblem(403, "forbidden");
        api.send("PUT", IMAGES + "/" + id + "/parts/disk", fixtures.adminToken(), disk, OCTETS).expect(200);

        assertThat(images.usableBy(tenant, name)).get().extracting(Image::id).isEqualTo(id);
        // A tenant may give its own image the same name; naming it then finds the tenant's own.
        String own = api.post(IMAGES, admin.token(), qcow2(name, Fixtures.sha256(disk))).expect(201).text("id");
        api.send("PUT", IMAGES + "/" + own + "/parts/disk", admin.token(), disk, OCTETS).expect(200);
        assertThat(images.usableBy(tenant, name)).get().extracting(Image::id).isEqualTo(own);
        assertThat(images.usableBy(fixtures.tenant(), name)).get().extracting(Image::id).isEqualTo(id);
        api.post("/api/v1/ops/images", fixtures.adminToken(), qcow2(name, Fixtures.sha256(disk))).expectProblem(409, "conflict");
    }

    @Test
    void anOperatorMustNameTheTenantOfAPrivateImageAndAViewerChangesNothing() {
        String tenant = fixtures.tenant();
        Principal viewer = fixtures.principal(tenant, "tenant-viewer");
        byte[] disk = uniqueQcow2();

        api.post(IMAGES, fixtures.adminToken(), qcow2(Fixtures.unique("x"), Fixtures.sha256(disk))).expectProblem(400, "malformed-request");
        String id = api.post(IMAGES + "?tenant=" + tenant, fixtures.adminToken(), qcow2(Fixtures.unique("x"), Fixtures.sha256(disk)))
                .expect(201).text("id");
        assertThat(api.get(IMAGES + "/" + id, viewer.token()).expect(200).text("tenantId")).isEqualTo(tenant);
        api.post(IMAGES, viewer.token(), qcow2(Fixtures.unique("x"), Fixtures.sha256(disk))).expectProblem(403, "forbidden");
        api.send("PUT", IMAGES + "/" + id + "/parts/disk", viewer.token(), disk, OCTETS).expectProblem(403, "forbidden");
        api.delete(IMAGES + "/" + id, viewer.token()).expectProblem(403, "forbidden");
        assertThat(api.get(IMAGES + "/" + id, viewer.token()).expect(200).text("status")).isEqualTo("uploading");
    }

    @Test
    void anImageInUseByALiveInstanceCannotBeDeletedAndItsFileGoesWithTheLastImageThatNamesIt() {
        String tenant = fixtures.tenant();
        Principal member = fixtures.principal(tenant, "tenant-member");
        byte[] disk = uniqueQcow2();
        String sha = Fixtures.sha256(disk);
        String used = api.post(IMAGES, member.token(), qcow2(Fixtures.unique("used"), sha)).expect(201).text("id");
        String twin = api.post(IMAGES, member.token(), qcow2(Fixtures.unique("twin"), sha)).expect(201).text("id");
        api.send("PUT", IMAGES + "/" + used + "/parts/disk", member.token(), disk, OCTETS).expect(200);
        api.send("PUT", IMAGES + "/" + twin + "/parts/disk", member.token(), disk, OCTETS).expect(200);
        String instance = api.post("/api/v1/instances", member.token(), Map.of("name", Fixtures.unique("vm"),
                "flavorId", fixtures.unplaceableFlavor(tenant), "imageRef", used)).expect(202).text("id");

        assertThat(api.delete(IMAGES + "/" + used, member.token()).expectProblem(409, "conflict").text("detail"))
                .contains("used by 1 instance");
        assertThat(api.get(IMAGES + "/" + used, member.token()).expect(200).text("status")).isEqualTo("active");

        api.delete("/api/v1/instances/" + instance, member.token()).expect(202);
        api.delete(IMAGES + "/" + used, member.token()).expect(204);
        api.get(IMAGES + "/" + used, member.token()).expectProblem(404, "not-found");
        assertThat(imagesDir().resolve(sha)).as("still the twin's disk").exists();
        api.delete(IMAGES + "/" + twin, member.token()).expect(204);
        assertThat(imagesDir().resolve(sha)).as("named by no image any more").doesNotExist();
    }

    @Test
    void everyBadFieldIsNamedAndNothingIsCreated() {
        Principal member = fixtures.principal(fixtures.tenant(), "tenant-member");
        String sha = Fixtures.sha256(uniqueQcow2());
        Map<String, Object> body = new LinkedHashMap<>(qcow2(Fixtures.unique("bad"), sha.toUpperCase()));
        body.put("architecture", "aarch64");
        body.put("kernelCmdline", "console=ttyS0");

        assertThat(fields(api.post(IMAGES, member.token(), body).expectProblem(422, "validation-failed").json()))
                .containsExactlyInAnyOrder("architecture", "parts[0].sha256");
        body.put("architecture", "x86_64");
        body.put("parts", List.of(Map.of("role", "disk", "sha256", sha)));
        assertThat(api.post(IMAGES, member.token(), body).expectProblem(422, "validation-failed").json().path("errors").get(0)
                .path("field").asString()).isEqualTo("kernelCmdline");
        Map<String, Object> wrongParts = kernelInitrd(Fixtures.unique("bad"), unique("k"), unique("i"), "console=ttyS0\nquiet");
        wrongParts.put("parts", List.of(Map.of("role", "disk", "sha256", sha), Map.of("role", "kernel", "sha256", sha)));
        assertThat(fields(api.post(IMAGES, member.token(), wrongParts).expectProblem(422, "validation-failed").json()))
                .containsExactlyInAnyOrder("parts[0].role", "kernelCmdline");
        wrongParts.put("parts", List.of(Map.of("role", "kernel", "sha256", sha)));
        wrongParts.put("kernelCmdline", "console=ttyS0 quiet");
        assertThat(fields(api.post(IMAGES, member.token(), wrongParts).expectProblem(422, "validation-failed").json()))
                .containsExactly("parts");
        body.put("format", "raw");
        assertThat(fields(api.post(IMAGES, member.token(), body).expectProblem(400, "malformed-request").json())).containsExactly("format");
        assertThat(api.get(IMAGES + "?name=" + body.get("name"), member.token()).expect(200).json().path("items")).isEmpty();
    }

    @Test
    void aDiskThatMatchedButIsNoUsableQcow2FailsTheImageForGood() {
        Principal member = fixtures.principal(fixtures.tenant(), "tenant-member");
        byte[] backed = uniqueQcow2();
        backed[15] = 0x70; // a backing file offset: the disk would open a path on the host
        String id = api.post(IMAGES, member.token(), qcow2(Fixtures.unique("backed"), Fixtures.sha256(backed))).expect(201).text("id");

        JsonNode problem = api.send("PUT", IMAGES + "/" + id + "/parts/disk", member.token(), backed, OCTETS)
                .expectProblem(422, "validation-failed").json();

        assertThat(problem.path("detail").asString()).contains("backing file").contains("is failed now");
        JsonNode failed = api.get(IMAGES + "/" + id, member.token()).expect(200).json();
        assertThat(failed.path("status").asString()).isEqualTo("failed");
        assertThat(failed.path("failureReason").asString()).contains("backing file");
        assertThat(imagesDir().resolve(Fixtures.sha256(backed))).doesNotExist();
        api.send("PUT", IMAGES + "/" + id + "/parts/disk", member.token(), backed, OCTETS).expectProblem(409, "conflict");
        api.delete(IMAGES + "/" + id, member.token()).expect(204);
    }

    @Test
    void aPartIsSentAsOctetsToARoleTheFormatHas() {
        Principal member = fixtures.principal(fixtures.tenant(), "tenant-member");
        byte[] disk = uniqueQcow2();
        String id = api.post(IMAGES, member.token(), qcow2(Fixtures.unique("roles"), Fixtures.sha256(disk))).expect(201).text("id");

        api.send("PUT", IMAGES + "/" + id + "/parts/kernel", member.token(), disk, OCTETS).expectProblem(404, "not-found");
        api.send("PUT", IMAGES + "/" + id + "/parts/rootfs", member.token(), disk, OCTETS).expectProblem(404, "not-found");
        api.put(IMAGES + "/" + id + "/parts/disk", member.token(), Map.of("bytes", "no")).expectProblem(415, "unsupported-media-type");
        api.get(IMAGES + "?status=broken", member.token()).expectProblem(400, "malformed-request");
        assertThat(ids(api.get(IMAGES + "?status=uploading", member.token()).expect(200).json())).contains(id);
        assertThat(ids(api.get(IMAGES + "?status=active", member.token()).expect(200).json())).doesNotContain(id);
    }

    @Test
    void theDatabaseRefusesAnImageWithoutItsPartsAndAPartTheFormatLacks() {
        TransactionTemplate transaction = new TransactionTemplate(transactions);
        String tenant = fixtures.tenant();
        String insertImage = "insert into image (id, tenant_id, name, os, architecture, format, status, created_at, updated_at) "
                + "values (:id, :tenant, :name, 'linux', 'x86_64', 'qcow2', 'uploading', now(), now())";

        assertThatThrownBy(() -> transaction.executeWithoutResult(tx -> jdbc.sql(insertImage)
                .param("id", "img-01jh8p2a3b4c5d6e7f8g9h0j1k").param("tenant", tenant).param("name", Fixtures.unique("partless")).update()))
                .as("checked at the commit").rootCause().hasMessageContaining("has 0 part(s); its format needs 1");
        assertThatThrownBy(() -> transaction.executeWithoutResult(tx -> {
            jdbc.sql(insertImage).param("id", "img-01jh8p2a3b4c5d6e7f8g9h0j1m").param("tenant", tenant).param("name", Fixtures.unique("odd"))
                    .update();
            jdbc.sql("insert into image_part (image_id, format, role, sha256) values ('img-01jh8p2a3b4c5d6e7f8g9h0j1m', 'qcow2', 'kernel', :sha)")
                    .param("sha", "0".repeat(64)).update();
        })).rootCause().hasMessageContaining("image_part_role_fits_format");
    }

    @Test
    void partFilesAreOnlyEverNamedBySha256() {
        assertThatThrownBy(() -> images.partFile("../../etc/passwd")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> images.partFile("A".repeat(64))).isInstanceOf(IllegalArgumentException.class);
        assertThat(images.partFile("a".repeat(64)).getParent()).isEqualTo(imagesDir().toAbsolutePath());
    }

    private static Path imagesDir() {
        return home().resolve("images");
    }

    private static List<Path> incomingFilesOf(String imageId) throws IOException {
        try (Stream<Path> files = Files.list(imagesDir())) {
            return files.filter(file -> file.getFileName().toString().startsWith(".incoming-" + imageId)).toList();
        }
    }

    /** A qcow2 header with a unique tail, so that no other test's image shares its file. */
    private static byte[] uniqueQcow2() {
        byte[] disk = Fixtures.tinyQcow2();
        byte[] tag = Fixtures.unique("disk").getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(tag, 0, disk, disk.length - tag.length, tag.length);
        return disk;
    }

    private static byte[] unique(String stem) {
        return (Fixtures.unique(stem) + " ").repeat(100).getBytes(StandardCharsets.US_ASCII);
    }

    private static Map<String, Object> qcow2(String name, String sha256) {
        return Map.of("name", name, "os", "debian-12", "architecture", "x86_64", "format", "qcow2",
                "parts", List.of(Map.of("role", "disk", "sha256", sha256)));
    }

    private static Map<String, Object> kernelInitrd(String name, byte[] kernel, byte[] initrd, String cmdline) {
        Map<String, Object> body = new LinkedHashMap<>(Map.of("name", name, "os", "busybox", "architecture", "x86_64",
                "format", "kernel+initrd", "parts", List.of(Map.of("role", "kernel", "sha256", Fixtures.sha256(kernel)),
                        Map.of("role", "initrd", "sha256", Fixtures.sha256(initrd)))));
        if (cmdline != null) {
            body.put("kernelCmdline", cmdline);
        }
        return body;
    }

    private static List<String> ids(JsonNode page) {
        return page.path("items").valueStream().map(item -> item.path("id").asString()).toList();
    }

    private static List<String> fields(JsonNode problem) {
        return problem.path("errors").valueStream().map(error -> error.path("field").asString()).toList();
    }
}
