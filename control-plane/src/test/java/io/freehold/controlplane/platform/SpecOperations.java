package io.freehold.controlplane.platform;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.yaml.snakeyaml.Yaml;

/**
 * The operations the published contract ({@code freehold/api/openapi.yaml}) declares, read with a
 * plain YAML parser: only {@code paths}, their methods and operationIds, and the base path of the first
 * server are needed, so a spec that a full OpenAPI parser would still reject is already usable here.
 */
final class SpecOperations {

    static final String RESOURCE = "freehold/api/openapi.yaml";
    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options", "trace");

    /** One operation as {@code METHOD /full/path}; the path includes the server's base path. */
    record SpecOperation(String operationId, String method, String path) {
    }

    private SpecOperations() {
    }

    /** The spec's text; empty while the contract has not been written yet. */
    static String text() {
        try (InputStream in = SpecOperations.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is not on the classpath; is the api-spec module built?");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + RESOURCE, e);
        }
    }

    /** Every operation under {@code paths}, in the spec's order. */
    static List<SpecOperation> parse(String specText) {
        Map<String, Object> root = map(new Yaml().load(specText));
        String base = basePath(root);
        List<SpecOperation> operations = new ArrayList<>();
        map(root.get("paths")).forEach((path, item) -> map(item).forEach((method, operation) -> {
            if (METHODS.contains(method)) {
                operations.add(new SpecOperation((String) map(operation).get("operationId"), method.toUpperCase(), base + path));
            }
        }));
        return operations;
    }

    /** Paths may be written relative to a server URL such as {@code /api/v1}; the matrix uses full paths. */
    private static String basePath(Map<String, Object> root) {
        Object servers = root.get("servers");
        if (!(servers instanceof List<?> list) || list.isEmpty()) {
            return "";
        }
        String url = (String) map(list.get(0)).get("url");
        if (url == null) {
            return "";
        }
        // Drops scheme and authority without parsing them: server URLs may hold {variables}.
        return url.replaceFirst("^[a-zA-Z][a-zA-Z0-9+.-]*://[^/]*", "").replaceAll("/+$", "");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return value instanceof Map<?, ?> ? (Map<String, Object>) value : Map.of();
    }
}
