package io.freehold.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The HTTP surfaces of the control plane the benchmarks use: the ops API with the bootstrap token, and metrics. */
final class OpsClient {

    /** A join token as ops get it: the secret and the CA fingerprint the agent pins. */
    record JoinToken(String token, String caFingerprint) {
        @Override
        public String toString() {
            return "JoinToken[token=<hidden>, caFingerprint=" + caFingerprint + "]";
        }
    }

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final JsonMapper json = JsonMapper.builder().build();
    private final String base;
    private final String adminToken;

    OpsClient(String base, String adminToken) {
        this.base = base;
        this.adminToken = adminToken;
    }

    /** {@code POST /api/v1/ops/join-tokens}: a single-use token for one new, unracked host. */
    JoinToken createJoinToken() throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/api/v1/ops/join-tokens"))
                .timeout(TIMEOUT)
                .header("Authorization", "Bearer " + adminToken)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{}"))
                .build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 201) {
            throw new IllegalStateException("creating a join token answered " + response.statusCode() + ": " + response.body());
        }
        JsonNode created = json.readTree(response.body());
        return new JoinToken(created.get("token").asString(), created.get("caFingerprint").asString());
    }

    /**
     * Sends {@code body} as JSON with the admin token and returns the answer's {@code id}.
     *
     * @throws IllegalStateException unless the answer's status is {@code expected}
     */
    String send(String method, String path, Map<String, Object> body, int expected) throws IOException, InterruptedException {
        return call(method, path, body, expected).path("id").asString();
    }

    /**
     * Sends {@code body} as JSON with the admin token and returns the whole answer.
     *
     * @throws IllegalStateException unless the answer's status is {@code expected}
     */
    JsonNode call(String method, String path, Map<String, Object> body, int expected) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(TIMEOUT)
                .header("Authorization", "Bearer " + adminToken)
                .header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)))
                .build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != expected) {
            throw new IllegalStateException(method + " " + path + " answered " + response.statusCode() + ": " + response.body());
        }
        return json.readTree(response.body());
    }

    /**
     * A public kernel+initrd image made of these bytes, booted with this kernel command line, created and uploaded
     * through the ops API; its id once active.
     */
    String uploadPublicKernelImage(String name, byte[] kernel, byte[] initrd, String kernelCmdline) throws IOException, InterruptedException {
        Map<String, Object> body = Map.of("name", name, "os", "bench", "architecture", "x86_64", "format", "kernel+initrd",
                "parts", java.util.List.of(Map.of("role", "kernel", "sha256", sha256(kernel)), Map.of("role", "initrd", "sha256", sha256(initrd))),
                "kernelCmdline", kernelCmdline);
        String id = send("POST", "/api/v1/ops/images", body, 201);
        upload(id, "kernel", HttpRequest.BodyPublishers.ofByteArray(kernel));
        String status = upload(id, "initrd", HttpRequest.BodyPublishers.ofByteArray(initrd)).path("status").asString();
        if (!"active".equals(status)) {
            throw new IllegalStateException("image " + id + " is " + status + " after both parts were uploaded");
        }
        return id;
    }

    /** Streams one part of an image; the answer is the image. */
    JsonNode upload(String imageId, String role, HttpRequest.BodyPublisher bytes) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/api/v1/images/" + imageId + "/parts/" + role))
                .header("Authorization", "Bearer " + adminToken)
                .header("Content-Type", "application/octet-stream")
                .PUT(bytes)
                .build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("PUT part " + role + " of " + imageId + " answered " + response.statusCode() + ": " + response.body());
        }
        return json.readTree(response.body());
    }

    static String sha256(byte[] bytes) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }

    /**
     * {@code GET path} with the admin token.
     *
     * @throws IllegalStateException unless the answer is 200
     */
    JsonNode get(String path) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + path)).timeout(TIMEOUT)
                .header("Authorization", "Bearer " + adminToken).GET().build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("GET " + path + " answered " + response.statusCode() + ": " + response.body());
        }
        return json.readTree(response.body());
    }

    /** {@code GET /actuator/prometheus}, as Prometheus would scrape it. */
    PrometheusScrape scrape() throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/actuator/prometheus")).timeout(TIMEOUT).build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("/actuator/prometheus answered " + response.statusCode());
        }
        return PrometheusScrape.parse(response.body());
    }
}
