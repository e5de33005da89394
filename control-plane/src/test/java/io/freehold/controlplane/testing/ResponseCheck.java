package io.freehold.controlplane.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.swagger.v3.oas.models.OpenAPI;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.StringNode;

/**
 * Compares one actual response with what the contract declares for it and lists every difference:
 * a missing required header, a header or body that breaks its schema, an undeclared content type, a
 * body where none is declared, a problem whose {@code status} is not the HTTP status.
 */
final class ResponseCheck {

    static final String PROBLEM_JSON = "application/problem+json";
    static final String PROBLEM_SCHEMA = "/components/schemas/Problem";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final OpenAPI model;
    private final SpecSchemas schemas;

    ResponseCheck(OpenAPI model, SpecSchemas schemas) {
        this.model = model;
        this.schemas = schemas;
    }

    /** @return the differences between {@code actual} and {@code declared}; empty when it conforms */
    List<String> differences(DeclaredResponse declared, ApiResponse actual) {
        List<String> differences = new ArrayList<>();
        for (DeclaredResponse.DeclaredHeader header : declared.headers(model)) {
            String value = actual.header(header.name());
            if (value == null) {
                if (header.required()) {
                    differences.add("required header " + header.name() + " is missing");
                }
            } else if (header.schemaPointer() != null) {
                schemas.validate(header.schemaPointer(), StringNode.valueOf(value))
                        .forEach(error -> differences.add("header " + header.name() + " '" + value + "'" + error));
            }
        }
        if (declared.mediaTypes().isEmpty()) {
            if (!actual.body().isEmpty()) {
                differences.add("no body is declared, but there is one");
            }
            return differences;
        }
        String mediaType = mediaType(actual);
        if (mediaType == null || !declared.mediaTypes().contains(mediaType)) {
            differences.add("Content-Type " + actual.header("Content-Type") + " is not one of the declared " + declared.mediaTypes());
            return differences;
        }
        declared.schemaPointer(mediaType).ifPresent(pointer -> differences.addAll(bodyDifferences(pointer, mediaType, actual)));
        return differences;
    }

    /**
     * For a method the contract does not declare on a path it does: only a refusal is acceptable, a
     * problem of status 4xx (typically 405, or 401 before the method is even looked at).
     */
    List<String> refusalDifferences(ApiResponse actual) {
        List<String> differences = new ArrayList<>();
        if (actual.status() < 400 || actual.status() > 499) {
            differences.add("the contract does not declare this method here, so only a 4xx refusal is acceptable");
        }
        if (!PROBLEM_JSON.equals(mediaType(actual))) {
            differences.add("Content-Type " + actual.header("Content-Type") + " is not " + PROBLEM_JSON);
            return differences;
        }
        differences.addAll(bodyDifferences(PROBLEM_SCHEMA, PROBLEM_JSON, actual));
        return differences;
    }

    private List<String> bodyDifferences(String schemaPointer, String mediaType, ApiResponse actual) {
        if (!DeclaredResponse.isJson(mediaType)) {
            return actual.body().isEmpty() ? List.of("the body is empty") : List.of();
        }
        JsonNode body;
        try {
            body = JSON.readTree(actual.body());
        } catch (JacksonException e) {
            return List.of("the body is not JSON: " + e.getOriginalMessage());
        }
        List<String> differences = new ArrayList<>(schemas.validate(schemaPointer, body).stream()
                .map(error -> "body" + error)
                .toList());
        if (PROBLEM_JSON.equals(mediaType) && body.path("status").asInt(-1) != actual.status()) {
            differences.add("the problem's status " + body.path("status") + " is not the HTTP status " + actual.status());
        }
        return differences;
    }

    /** The media type of the response without parameters such as {@code charset}, or null when absent. */
    private static String mediaType(ApiResponse actual) {
        String contentType = actual.header("Content-Type");
        if (contentType == null) {
            return null;
        }
        int parameters = contentType.indexOf(';');
        return (parameters < 0 ? contentType : contentType.substring(0, parameters)).strip().toLowerCase(Locale.ROOT);
    }
}
