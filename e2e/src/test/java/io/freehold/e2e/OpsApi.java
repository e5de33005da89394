package io.freehold.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The ops REST API ({@code api-spec/openapi.yaml}) of one control-plane replica, called as an operator
 * calls it: HTTP with the bootstrap admin's bearer token, acting inside a tenant with {@code ?tenant=} where
 * the call is a tenant's. Only what these tests need.
 */
final class OpsApi {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    /** Generous: a loaded 2-core machine runs several JVMs at once; a slow answer is not what these tests judge. */
    private static final Duration REQUEST_LIMIT = Duration.ofSeconds(20);

    private final String base;
    private final String token;

    OpsApi(String base, String token) {
        this.base = base;
        this.token = token;
    }

    /** Whether {@code /actuator/health} answers UP; false while the replica is still starting or unreachable. */
    static boolean healthy(String base) {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/actuator/health"))
                    .timeout(REQUEST_LIMIT).build(), HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 && JSON.readTree(response.body()).path("status").asString().equals("UP");
        } catch (IOException notListeningYet) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    String createSite(String name) {
        return post("/api/v1/ops/sites", Map.of("name", name, "timezone", "UTC")).path("id").asString();
    }

    String createRack(String siteId, String name) {
        return post("/api/v1/ops/racks", Map.of("siteId", siteId, "name", name, "heightU", 42)).path("id").asString();
    }

    /** A pre-registered slot: a host in state REGISTERED that a join token can name. */
    String createHostSlot(String rackId, int positionU, String hostname) {
        return post("/api/v1/ops/hosts", Map.of("rackId", rackId, "positionU", positionU, "hostname", hostname)).path("id").asString();
    }

    /** A join token for the slot; the answer carries the exact {@code freehold-agent join} command. */
    JsonNode createJoinToken(String hostId) {
        return post("/api/v1/ops/join-tokens", Map.of("hostId", hostId));
    }

    JsonNode host(String hostId) {
        return get("/api/v1/ops/hosts/" + hostId);
    }

    /** The host's history, oldest first (a fresh host has far fewer than a page of 100). */
    List<JsonNode> hostEvents(String hostId) {
        JsonNode page = get("/api/v1/ops/hosts/" + hostId + "/events?limit=100");
        assertThat(page.path("nextCursor").isNull()).as("one page holds all events of host %s", hostId).isTrue();
        return page.path("items").valueStream().toList();
    }

    /** Ops may change a host's ratios and reservations, e.g. {@code memoryRatio}. */
    JsonNode updateHost(String hostId, Map<String, Object> changes) {
        return send("PATCH", "/api/v1/ops/hosts/" + hostId, changes, 200);
    }

    JsonNode hostCapacity(String hostId) {
        return get("/api/v1/ops/hosts/" + hostId + "/capacity");
    }

    /** A tenant with the installation's default quota. */
    String createTenant(String slug) {
        return post("/api/v1/ops/tenants", Map.of("name", slug, "slug", slug)).path("id").asString();
    }

    JsonNode tenantQuota(String tenantId) {
        return get("/api/v1/ops/tenants/" + tenantId + "/quota");
    }

    /** Replaces all four limits of the tenant's quota. */
    JsonNode setTenantQuota(String tenantId, int vcpus, long memoryMib, long diskGib, int instances) {
        return send("PUT", "/api/v1/ops/tenants/" + tenantId + "/quota",
                Map.of("vcpus", vcpus, "memoryMib", memoryMib, "diskGib", diskGib, "instances", instances), 200);
    }

    /** A public flavor. */
    String createFlavor(String name, int vcpus, long memoryMib, long rootDiskGib) {
        return post("/api/v1/ops/flavors", Map.of("name", name, "vcpus", vcpus, "memoryMib", memoryMib, "rootDiskGib", rootDiskGib))
                .path("id").asString();
    }

    /**
     * A public qcow2 image whose disk is {@code disk}, declared with the file's SHA-256 and uploaded as docs/images.md tells
     * an operator to; the upload's answer must say {@code active}, or no instance could use it.
     *
     * @return the image's id
     */
    String createPublicQcow2Image(String name, Path disk) throws IOException {
        byte[] bytes = Files.readAllBytes(disk);
        String id = post("/api/v1/ops/images", Map.of("name", name, "os", "none", "architecture", "x86_64", "format", "qcow2",
                "parts", List.of(Map.of("role", "disk", "sha256", sha256(bytes))))).path("id").asString();
        JsonNode uploaded = send(HttpRequest.newBuilder(URI.create(base + "/api/v1/images/" + id + "/parts/disk"))
                .header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes)), 200);
        assertThat(uploaded.path("status").asString()).as("image %s once its disk is uploaded: %s", id, uploaded).isEqualTo("active");
        return id;
    }

    /**
     * An instance in the tenant booting {@code imageRef} (an image's id or name), as an operator acting inside it creates
     * one; the answer is the instance, {@code PENDING}.
     */
    JsonNode createInstance(String tenantId, String name, String flavorId, String imageRef) {
        return send("POST", "/api/v1/instances?tenant=" + tenantId, Map.of("name", name, "flavorId", flavorId, "imageRef", imageRef), 202);
    }

    JsonNode instance(String instanceId) {
        return get("/api/v1/instances/" + instanceId);
    }

    /** The instance's lifecycle facts as metering counts them, e.g. {@code provisioned}, {@code started}, in the order recorded. */
    List<String> lifecycleEvents(String instanceId) {
        JsonNode page = get("/api/v1/instances/" + instanceId + "/lifecycle-events?limit=100");
        assertThat(page.path("nextCursor").isNull()).as("one page holds all facts of instance %s", instanceId).isTrue();
        return page.path("items").valueStream().map(event -> event.path("event").asString()).toList();
    }

    /**
     * Queues rollup recomputes ({@code POST /api/v1/ops/usage/recompute}); {@code scope} may name a {@code tenantId} or an
     * {@code instanceId}, or neither for every unsettled instance.
     *
     * @return how many instances were queued
     */
    int recomputeUsage(Map<String, String> scope) {
        return send("POST", "/api/v1/ops/usage/recompute", scope, 202).path("queued").asInt();
    }

    /** A price list without versions; versions in the past go in by SQL, since the API takes none for an hour that has begun. */
    String createPriceList(String name, String currency) {
        return post("/api/v1/ops/price-lists", Map.of("name", name, "currency", currency)).path("id").asString();
    }

    /** Puts the tenant on the price list with a discount ({@code "10"}: 10 %). */
    JsonNode setTenantPricing(String tenantId, String priceListId, String discountPercent) {
        return send("PUT", "/api/v1/ops/tenants/" + tenantId + "/pricing", Map.of("priceListId", priceListId, "discountPercent", discountPercent),
                200);
    }

    /** The tenant's invoice of {@code month} ({@code 2025-02}): the final one, or else the draft as of now. */
    JsonNode tenantInvoice(String tenantId, String month) {
        return get("/api/v1/ops/tenants/" + tenantId + "/invoices/" + month);
    }

    /** Closes an ended month now, for every tenant with charges in it; the answer is what the close did. */
    JsonNode closeMonth(String period) {
        return send("POST", "/api/v1/ops/billing/month-close", Map.of("period", period), 200);
    }

    /**
     * {@link #closeMonth} started without waiting for its answer, for a call the test cuts off by killing the replica: no
     * time limit of its own, so nothing but the replica's death ends it early.
     */
    CompletableFuture<HttpResponse<String>> startMonthClose(String period) {
        return HTTP.sendAsync(HttpRequest.newBuilder(URI.create(base + "/api/v1/ops/billing/month-close"))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of("period", period))))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The metrics page as Prometheus scrapes it: no token. */
    static String metrics(String base) {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/actuator/prometheus"))
                    .timeout(REQUEST_LIMIT).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as("status of /actuator/prometheus").isEqualTo(200);
            return response.body();
        } catch (IOException e) {
            throw new UncheckedIOException("GET /actuator/prometheus failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    JsonNode get(String path) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).GET(), 200);
    }

    JsonNode post(String path, Object body) {
        return send("POST", path, body, 201);
    }

    /** 64 lowercase hex digits, as an image part's {@code sha256} is declared. */
    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    private JsonNode send(String method, String path, Object body, int expectedStatus) {
        return send(HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))), expectedStatus);
    }

    private JsonNode send(HttpRequest.Builder request, int expectedStatus) {
        HttpRequest built = request.header("Authorization", "Bearer " + token).timeout(REQUEST_LIMIT).build();
        try {
            HttpResponse<String> response = HTTP.send(built, HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as("status of %s %s, body %s", built.method(), built.uri(), response.body())
                    .isEqualTo(expectedStatus);
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(built.method() + " " + built.uri() + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
