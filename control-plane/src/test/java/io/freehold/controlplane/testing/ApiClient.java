package io.freehold.controlplane.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import tools.jackson.databind.json.JsonMapper;

/**
 * A small HTTP client for tests. Every response it receives is checked against the hand-written
 * contract ({@link OpenApiContract}), so each API test is also a contract test.
 */
public final class ApiClient {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final String base;

    public ApiClient(String base) {
        this.base = base;
    }

    public String base() {
        return base;
    }

    public ApiResponse get(String path, String token) {
        return send("GET", path, token, null, Map.of());
    }

    public ApiResponse delete(String path, String token) {
        return send("DELETE", path, token, null, Map.of());
    }

    public ApiResponse post(String path, String token, Object body) {
        return send("POST", path, token, body, Map.of());
    }

    public ApiResponse post(String path, String token, Object body, Map<String, String> headers) {
        return send("POST", path, token, body, headers);
    }

    public ApiResponse put(String path, String token, Object body) {
        return send("PUT", path, token, body, Map.of());
    }

    public ApiResponse patch(String path, String token, Object body) {
        return send("PATCH", path, token, body, Map.of());
    }

    /**
     * Sends a request. A {@code String} body goes as is (to send malformed JSON), a {@code byte[]} too (with
     * the Content-Type the caller names in {@code headers}); anything else is serialized as JSON.
     */
    public ApiResponse send(String method, String path, String token, Object body, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
        List<String> headerPairs = new ArrayList<>();
        if (token != null) {
            headerPairs.add("Authorization");
            headerPairs.add("Bearer " + token);
        }
        if (body != null && !headers.containsKey("Content-Type")) {
            headerPairs.add("Content-Type");
            headerPairs.add("application/json");
        }
        headers.forEach((name, value) -> {
            headerPairs.add(name);
            headerPairs.add(value);
        });
        if (!headerPairs.isEmpty()) {
            request.headers(headerPairs.toArray(String[]::new));
        }
        if (body instanceof byte[] bytes) {
            request.method(method, HttpRequest.BodyPublishers.ofByteArray(bytes));
        } else {
            String payload = body == null ? null : body instanceof String text ? text : JSON.writeValueAsString(body);
            request.method(method, payload == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(payload));
        }
        try {
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            ApiResponse result = new ApiResponse(response.statusCode(), response.headers(), response.body());
            OpenApiContract.shared().checkResponse(method, URI.create(base + path).getPath(), result);
            return result;
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + path + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
