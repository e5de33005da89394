package io.freehold.bench;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The instance API as a tenant uses it, with a tenant member's API token: creates with an {@code Idempotency-Key} (as the
 * CLI and the portal always send one), lists by phase, reads one instance. Safe for concurrent use.
 */
final class TenantClient {

    /** One page of a list, as large as the API allows. */
    private static final int PAGE = 500;
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private final JsonMapper json = JsonMapper.builder().build();
    private final String base;
    private final String token;

    TenantClient(String base, String token) {
        this.base = base;
        this.token = token;
    }

    /**
     * {@code POST /api/v1/instances}: a new instance of the flavor, which the answer (202) shows PENDING.
     *
     * @return its id
     */
    String createInstance(String name, String flavorId, String imageId, String idempotencyKey) throws IOException, InterruptedException {
        HttpRequest request = authorized("/api/v1/instances")
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", idempotencyKey)
                .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(Map.of("name", name, "flavorId", flavorId,
                        "imageRef", imageId))))
                .build();
        JsonNode created = send(request, 202);
        String phase = created.path("status").path("phase").asString();
        if (!"PENDING".equals(phase)) {
            throw new IllegalStateException("a new instance should be PENDING, the answer says " + phase + ": " + created);
        }
        return created.path("id").asString();
    }

    /** The ids of the tenant's live instances in this phase, every page of {@code GET /api/v1/instances?phase=}. */
    List<String> idsInPhase(String phase) throws IOException, InterruptedException {
        List<String> ids = new ArrayList<>();
        String cursor = null;
        do {
            String query = "?phase=" + phase + "&limit=" + PAGE
                    + (cursor == null ? "" : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8));
            JsonNode page = send(authorized("/api/v1/instances" + query).GET().build(), 200);
            page.path("items").forEach(item -> ids.add(item.path("id").asString()));
            cursor = page.path("nextCursor").isNull() || page.path("nextCursor").isMissingNode() ? null : page.path("nextCursor").asString();
        } while (cursor != null);
        return ids;
    }

    /** {@code GET /api/v1/instances/{id}}: its status. */
    JsonNode status(String id) throws IOException, InterruptedException {
        return send(authorized("/api/v1/instances/" + id).GET().build(), 200).path("status");
    }

    /** {@code GET /api/v1/instances/{id}/console}: what the guest printed lately, as the API answers it. */
    String console(String id) throws IOException, InterruptedException {
        return send(authorized("/api/v1/instances/" + id + "/console").GET().build(), 200).path("output").asString();
    }

    /** {@code DELETE /api/v1/instances/{id}}, then waits until the API no longer knows it. */
    void deleteAndAwaitGone(String id, Duration limit) throws IOException, InterruptedException {
        send(authorized("/api/v1/instances/" + id).DELETE().build(), 202);
        long deadline = System.nanoTime() + limit.toNanos();
        while (http.send(authorized("/api/v1/instances/" + id).GET().build(), HttpResponse.BodyHandlers.discarding()).statusCode() != 404) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("instance " + id + " was not removed within " + limit);
            }
            Thread.sleep(200);
        }
    }

    private HttpRequest.Builder authorized(String path) {
        return HttpRequest.newBuilder(URI.create(base + path)).timeout(TIMEOUT).header("Authorization", "Bearer " + token);
    }

    private JsonNode send(HttpRequest request, int expected) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != expected) {
            throw new IllegalStateException(request.method() + " " + request.uri().getPath() + " answered " + response.statusCode()
                    + ": " + response.body());
        }
        return json.readTree(response.body());
    }
}
