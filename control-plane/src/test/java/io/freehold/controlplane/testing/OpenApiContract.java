package io.freehold.controlplane.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.SpecVersion;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import tools.jackson.core.JsonPointer;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The hand-written REST contract ({@code api-spec/openapi.yaml}) as the tests hold the server to it.
 * {@link ApiClient} hands every response of every API test to {@link #checkResponse}, so a status,
 * header or body the contract does not describe fails the test that provoked it, and the contract
 * cannot drift from the server unnoticed.
 *
 * <p>The document is read once per JVM from the classpath, where the api-spec module packages it.
 * swagger-parser reads its structure (paths, operations, responses; it must parse as OpenAPI 3.1
 * without a single message), and a JSON Schema 2020-12 validator checks bodies and headers against the
 * raw document, so schema references resolve exactly as written. Everything is immutable after
 * loading, so one instance serves all test threads.
 */
public final class OpenApiContract {

    /** Where the api-spec module packages the contract. */
    public static final String RESOURCE = "freehold/api/openapi.yaml";
    private static final String API_PREFIX = "/api/v1/";
    /** Methods whose answers carry no body to check. */
    private static final Set<String> UNCHECKED_METHODS = Set.of("HEAD", "OPTIONS", "TRACE");

    private final OpenAPI model;
    private final JsonNode document;
    private final List<SpecOperation> operations;
    private final PathTemplates paths;
    private final SpecSchemas schemas;
    private final ResponseCheck check;

    private OpenApiContract(String text) {
        this.model = parse(text);
        this.document = new YAMLMapper().readTree(text);
        this.operations = model.getPaths().entrySet().stream()
                .flatMap(path -> path.getValue().readOperationsMap().entrySet().stream()
                        .map(operation -> new SpecOperation(operation.getKey().name(), path.getKey(), operation.getValue())))
                .sorted(Comparator.comparing(SpecOperation::pathTemplate).thenComparing(SpecOperation::method))
                .toList();
        this.paths = new PathTemplates(model.getPaths().keySet());
        this.schemas = new SpecSchemas(document, schemaPointers());
        this.check = new ResponseCheck(model, schemas);
    }

    public static OpenApiContract shared() {
        return Shared.INSTANCE;
    }

    /**
     * Checks a response of the server against the contract. Paths outside {@code /api/v1} and paths
     * the contract does not have (such as a 404 for {@code /api/v1/nothing}) are not checked.
     *
     * @param method the HTTP method of the request
     * @param path the path of the request, without query
     * @throws AssertionError naming the operation, status, body and every difference found
     */
    public void checkResponse(String method, String path, ApiResponse response) {
        String upperMethod = method.toUpperCase(Locale.ROOT);
        if (!path.startsWith(API_PREFIX) || UNCHECKED_METHODS.contains(upperMethod)) {
            return;
        }
        Optional<String> template = paths.match(path);
        if (template.isEmpty()) {
            return;
        }
        Optional<SpecOperation> operation = operation(upperMethod, template.get());
        if (operation.isEmpty()) {
            failIfAny(check.refusalDifferences(response), upperMethod + " " + template.get() + " (not in the contract)",
                    upperMethod, path, response);
            return;
        }
        Optional<DeclaredResponse> declared = DeclaredResponse.forStatus(model, operation.get(), response.status());
        if (declared.isEmpty()) {
            failIfAny(List.of("status " + response.status() + " is not declared; declared are "
                    + operation.get().operation().getResponses().keySet()), operation.get().toString(), upperMethod, path, response);
            return;
        }
        failIfAny(check.differences(declared.get(), response), operation.get().toString(), upperMethod, path, response);
    }

    /** Every operation of the contract, ordered by path and method. */
    public List<SpecOperation> operations() {
        return operations;
    }

    /** swagger-parser's model of the contract, with {@code $ref}s left in place. */
    public OpenAPI model() {
        return model;
    }

    /** A copy of the contract as a plain JSON tree, as written. */
    public JsonNode document() {
        return document.deepCopy();
    }

    /**
     * Validates a value against a schema of the contract: any of {@code /components/schemas/*}, or
     * the schema of a declared response body or header.
     *
     * @return one message per violation; empty when {@code value} conforms
     */
    public List<String> validate(String schemaPointer, JsonNode value) {
        return schemas.validate(schemaPointer, value);
    }

    private Optional<SpecOperation> operation(String method, String template) {
        return operations.stream()
                .filter(operation -> operation.method().equals(method) && operation.pathTemplate().equals(template))
                .findFirst();
    }

    /** Every schema the checks may need, compiled up front: components, response bodies and headers. */
    private List<String> schemaPointers() {
        List<String> pointers = new ArrayList<>();
        document.path("components").path("schemas").propertyNames().forEach(name ->
                pointers.add(JsonPointer.empty().appendProperty("components").appendProperty("schemas").appendProperty(name).toString()));
        for (SpecOperation operation : operations) {
            for (DeclaredResponse response : DeclaredResponse.all(model, operation)) {
                response.mediaTypes().stream()
                        .map(response::schemaPointer)
                        .flatMap(Optional::stream)
                        .forEach(pointers::add);
                response.headers(model).stream()
                        .map(DeclaredResponse.DeclaredHeader::schemaPointer)
                        .filter(Objects::nonNull)
                        .forEach(pointers::add);
            }
        }
        return pointers;
    }

    private static void failIfAny(List<String> differences, String operation, String method, String path, ApiResponse response) {
        if (differences.isEmpty()) {
            return;
        }
        throw new AssertionError("The response to " + method + " " + path + " breaks the contract of " + operation
                + ", status " + response.status() + ":\n"
                + differences.stream().map(difference -> "  - " + difference).collect(Collectors.joining("\n"))
                + "\nContent-Type: " + response.header("Content-Type")
                + "\nBody: " + response.body());
    }

    private static OpenAPI parse(String text) {
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        SwaggerParseResult result = new OpenAPIV3Parser().readContents(text, null, options);
        if (result.getOpenAPI() == null || (result.getMessages() != null && !result.getMessages().isEmpty())) {
            throw new IllegalStateException(RESOURCE + " is not a valid OpenAPI document: " + result.getMessages());
        }
        if (result.getOpenAPI().getSpecVersion() != SpecVersion.V31) {
            throw new IllegalStateException(RESOURCE + " must be OpenAPI 3.1, not " + result.getOpenAPI().getOpenapi());
        }
        return result.getOpenAPI();
    }

    private static String readResource() {
        try (InputStream in = OpenApiContract.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is not on the classpath; is the api-spec module a dependency?");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Loads the contract on first use only, and exactly once, however many threads ask. */
    private static final class Shared {
        static final OpenApiContract INSTANCE = new OpenApiContract(readResource());
    }
}
