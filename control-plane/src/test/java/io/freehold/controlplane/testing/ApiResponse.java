package io.freehold.controlplane.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpHeaders;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A response as tests read it: status, headers, body text and the body as JSON. */
public record ApiResponse(int status, HttpHeaders headers, String body) {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    public JsonNode json() {
        return JSON.readTree(body);
    }

    public String text(String field) {
        return json().path(field).asString();
    }

    public String header(String name) {
        return headers.firstValue(name).orElse(null);
    }

    /** Asserts the status, showing the body when it differs, and returns this for chaining. */
    public ApiResponse expect(int expected) {
        assertThat(status).as("status of response with body %s", body).isEqualTo(expected);
        return this;
    }

    /** Asserts a problem response of the given status and type slug. */
    public ApiResponse expectProblem(int expected, String typeSlug) {
        expect(expected);
        assertThat(header("Content-Type")).startsWith("application/problem+json");
        assertThat(text("type")).isEqualTo("urn:freehold:problem:" + typeSlug);
        return this;
    }
}
