package io.freehold.controlplane.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.responses.ApiResponse;
import tools.jackson.core.JsonPointer;

/**
 * A response the contract declares for one status of one operation, with any {@code $ref} to
 * {@code #/components/responses} followed, and the JSON pointers of its header and body schemas so
 * that they can be validated against the raw document.
 *
 * @param statusKey the key it is declared under: the status, a range such as {@code 4XX}, or {@code default}
 * @param pointer where the response (after following its reference) is in the raw document
 * @param response swagger-parser's model of it
 */
record DeclaredResponse(String statusKey, String pointer, ApiResponse response) {

    /** A header the response declares, with where its schema is. */
    record DeclaredHeader(String name, boolean required, String schemaPointer) {
    }

    /** The response declared for {@code status}: the exact code first, then its range, then {@code default}. */
    static Optional<DeclaredResponse> forStatus(OpenAPI model, SpecOperation operation, int status) {
        for (String key : List.of(String.valueOf(status), status / 100 + "XX", "default")) {
            ApiResponse response = operation.operation().getResponses().get(key);
            if (response != null) {
                return Optional.of(resolve(model, operation.pointer() + "/responses/" + escape(key), key, response));
            }
        }
        return Optional.empty();
    }

    /** Every response the operation declares. */
    static List<DeclaredResponse> all(OpenAPI model, SpecOperation operation) {
        List<DeclaredResponse> all = new ArrayList<>();
        operation.operation().getResponses().forEach((key, response) ->
                all.add(resolve(model, operation.pointer() + "/responses/" + escape(key), key, response)));
        return all;
    }

    /** The declared media types, e.g. {@code application/json}; empty for a response without a body. */
    Set<String> mediaTypes() {
        Content content = response.getContent();
        return content == null ? Set.of() : content.keySet();
    }

    /** Where the body schema for {@code mediaType} is, or empty when it declares none. */
    Optional<String> schemaPointer(String mediaType) {
        Content content = response.getContent();
        if (content == null || content.get(mediaType) == null || content.get(mediaType).getSchema() == null) {
            return Optional.empty();
        }
        return Optional.of(pointer + "/content/" + escape(mediaType) + "/schema");
    }

    List<DeclaredHeader> headers(OpenAPI model) {
        Map<String, Header> headers = response.getHeaders();
        if (headers == null) {
            return List.of();
        }
        List<DeclaredHeader> declared = new ArrayList<>();
        headers.forEach((name, header) -> {
            String at = pointer + "/headers/" + escape(name);
            Header resolved = header;
            if (header.get$ref() != null) {
                at = local(header.get$ref());
                resolved = model.getComponents().getHeaders().get(lastSegment(header.get$ref()));
            }
            declared.add(new DeclaredHeader(name, Boolean.TRUE.equals(resolved.getRequired()),
                    resolved.getSchema() == null ? null : at + "/schema"));
        });
        return declared;
    }

    static boolean isJson(String mediaType) {
        String type = mediaType.toLowerCase(Locale.ROOT);
        return type.equals("application/json") || type.endsWith("+json");
    }

    private static DeclaredResponse resolve(OpenAPI model, String pointer, String key, ApiResponse response) {
        if (response.get$ref() == null) {
            return new DeclaredResponse(key, pointer, response);
        }
        ApiResponse target = model.getComponents().getResponses().get(lastSegment(response.get$ref()));
        if (target == null) {
            throw new IllegalStateException(pointer + " refers to a missing response " + response.get$ref());
        }
        return new DeclaredResponse(key, local(response.get$ref()), target);
    }

    private static String escape(String token) {
        return JsonPointer.empty().appendProperty(token).toString().substring(1);
    }

    /** The pointer part of a reference within the document, {@code #/a/b} to {@code /a/b}. */
    private static String local(String ref) {
        if (!ref.startsWith("#/")) {
            throw new IllegalStateException("only references within the document are supported: " + ref);
        }
        return ref.substring(1);
    }

    private static String lastSegment(String ref) {
        return ref.substring(ref.lastIndexOf('/') + 1);
    }
}
