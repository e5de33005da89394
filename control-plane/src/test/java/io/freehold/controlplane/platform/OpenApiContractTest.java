package io.freehold.controlplane.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import io.freehold.controlplane.platform.web.ProblemType;
import io.freehold.controlplane.testing.ApiResponse;
import io.freehold.controlplane.testing.ApiTest;
import io.freehold.controlplane.testing.Fixtures;
import io.freehold.controlplane.testing.OpenApiContract;
import io.freehold.controlplane.testing.SpecOperation;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import tools.jackson.core.JsonPointer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The hand-written contract ({@code api-spec/openapi.yaml}) and the server agree both ways: every
 * operation it lists is served and every served {@code /api/v1} route is listed; it follows the house
 * rules (explicit security, closed response objects, the full list of problem types); the server
 * publishes it unchanged; and the checker that holds every API test to it really does fail.
 */
class OpenApiContractTest extends ApiTest {

    private static final OpenApiContract CONTRACT = OpenApiContract.shared();
    private static final Pattern PATH_VARIABLE = Pattern.compile("\\{[^/}]+}");
    private static final String PROBLEM_REF = "#/components/schemas/Problem";
    /** The one deliberately open object: audit details vary by action. */
    private static final String FREE_FORM = "/components/schemas/AuditEvent/properties/details";

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    private RequestMappingHandlerMapping handlers;

    @Test
    void everyOperationOfTheContractIsServedAndEveryServedRouteIsInTheContract() {
        Set<String> served = handlers.getHandlerMethods().keySet().stream()
                .flatMap(info -> routesOf(info).stream())
                .filter(route -> route.substring(route.indexOf(' ') + 1).startsWith("/api/v1/"))
                .collect(Collectors.toCollection(TreeSet::new));
        Set<String> declared = CONTRACT.operations().stream()
                .map(operation -> operation.method() + " " + normalized(operation.pathTemplate()))
                .collect(Collectors.toCollection(TreeSet::new));

        assertThat(served).as("routes found in Spring MVC").contains("GET /api/v1/me", "GET /api/v1/users/{}/tokens");
        assertThat(minus(served, declared)).as("served by a handler but missing from openapi.yaml").isEmpty();
        assertThat(minus(declared, served)).as("in openapi.yaml but served by no handler").isEmpty();
    }

    @Test
    void everyOperationHasAnIdExplicitSecurityAndTheResponsesEveryCallerCanGet() {
        JsonNode document = CONTRACT.document();
        List<String> violations = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (SpecOperation operation : CONTRACT.operations()) {
            JsonNode node = document.at(operation.pointer());
            JsonNode responses = node.path("responses");
            if (node.path("operationId").asString("").isBlank() || !ids.add(node.path("operationId").asString())) {
                violations.add(operation + ": needs a unique operationId");
            }
            if (!node.path("security").isArray()) {
                violations.add(operation + ": must declare security ([] when public)");
            } else if (!node.path("security").isEmpty() && !(responses.has("401") && responses.has("403"))) {
                violations.add(operation + ": is secured, so must declare 401 and 403 (tenant-suspended)");
            }
            if (operation.method().equals("POST")) {
                if (!references(node.path("parameters"), "#/components/parameters/IdempotencyKey")) {
                    violations.add(operation + ": a POST must accept the shared Idempotency-Key parameter");
                }
                if (!responses.has("409") || !responses.has("422")) {
                    violations.add(operation + ": a POST must declare 409 idempotency-in-progress and 422 idempotency-key-reused");
                }
            }
            for (Map.Entry<String, JsonNode> response : responses.properties()) {
                JsonNode resolved = resolve(document, response.getValue());
                if (!resolved.path("headers").path("X-Request-Id").path("$ref").asString("").equals("#/components/headers/XRequestId")) {
                    violations.add(operation + " " + response.getKey() + ": must declare the shared X-Request-Id header");
                }
                if (response.getKey().compareTo("400") >= 0 && !isProblem(resolved)) {
                    violations.add(operation + " " + response.getKey() + ": errors must be application/problem+json with the Problem schema");
                }
                if (response.getKey().equals("201") && !resolved.path("headers").has("Location")) {
                    violations.add(operation + " 201: must declare Location");
                }
            }
        }
        assertThat(violations).isEmpty();
    }

    @Test
    void everyObjectAResponseCanContainIsClosedAndListsItsRequiredFields() {
        JsonNode document = CONTRACT.document();
        Set<String> visited = new TreeSet<>();
        for (SpecOperation operation : CONTRACT.operations()) {
            for (Map.Entry<String, JsonNode> response : document.at(operation.pointer()).path("responses").properties()) {
                JsonNode resolved = resolve(document, response.getValue());
                String at = response.getValue().has("$ref")
                        ? response.getValue().path("$ref").asString().substring(1)
                        : operation.pointer() + "/responses/" + response.getKey();
                for (String mediaType : resolved.path("content").propertyNames()) {
                    visit(document, at + "/content/" + escape(mediaType) + "/schema", visited);
                }
            }
        }
        List<String> violations = new ArrayList<>();
        for (String pointer : visited) {
            JsonNode schema = document.at(pointer);
            if (!isObjectSchema(schema) || pointer.equals(FREE_FORM) || isStringMap(schema)) {
                continue;
            }
            if (!schema.path("additionalProperties").isBoolean() || schema.path("additionalProperties").asBoolean()) {
                violations.add(pointer + ": must set additionalProperties: false");
            }
            if (!schema.path("required").isArray()) {
                violations.add(pointer + ": must list its required (always present) fields");
            }
        }
        assertThat(visited).as("schemas reached from responses").contains("/components/schemas/Problem", FREE_FORM);
        assertThat(violations).isEmpty();
    }

    @Test
    void theContractListsExactlyTheProblemTypesTheServerUses() {
        List<String> listed = CONTRACT.document().at("/components/schemas/Problem/properties/type/enum").valueStream()
                .map(JsonNode::asString)
                .toList();

        assertThat(listed).containsExactlyInAnyOrderElementsOf(Arrays.stream(ProblemType.values()).map(ProblemType::uri).toList());
    }

    @Test
    void everyExampleInTheContractConformsToItsSchema() {
        JsonNode document = CONTRACT.document();
        List<String> violations = new ArrayList<>();
        for (String name : document.path("components").path("schemas").propertyNames()) {
            String pointer = "/components/schemas/" + escape(name);
            document.at(pointer).path("examples").valueStream().forEach(example ->
                    CONTRACT.validate(pointer, example).forEach(error -> violations.add(pointer + " example: " + error)));
        }
        for (String name : document.path("components").path("responses").propertyNames()) {
            JsonNode problem = document.at("/components/responses/" + escape(name) + "/content/application~1problem+json");
            List<JsonNode> examples = new ArrayList<>(problem.path("examples").valueStream().map(example -> example.path("value")).toList());
            if (problem.has("example")) {
                examples.add(problem.path("example"));
            }
            assertThat(examples).as("examples of response %s", name).isNotEmpty();
            examples.forEach(example -> CONTRACT.validate("/components/schemas/Problem", example)
                    .forEach(error -> violations.add(name + " example: " + error)));
        }
        assertThat(violations).isEmpty();
    }

    @Test
    void theServerPublishesTheContractByteForByte() throws IOException, InterruptedException {
        api.get("/api/v1/openapi.yaml", null).expect(200);
        HttpResponse<byte[]> served = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(api.base() + "/api/v1/openapi.yaml")).build(),
                HttpResponse.BodyHandlers.ofByteArray());

        Path written = Path.of(System.getProperty("basedir", ".")).resolve("../api-spec/openapi.yaml").normalize();
        assertThat(served.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/yaml"));
        assertThat(served.body()).isEqualTo(Files.readAllBytes(written));
    }

    @Test
    void realAnswersPassTheChecker() {
        String admin = fixtures.adminToken();
        JsonNode me = api.get("/api/v1/me", admin).expect(200).json();
        assertThat(me.path("user").path("role").asString()).isEqualTo("ops-admin");
        assertThat(me.has("tenant")).isFalse();

        assertThat(api.post("/api/v1/ops/tenants", admin, Map.of()).expectProblem(422, "validation-failed").json()
                .path("errors").valueStream().map(error -> error.path("field").asString()))
                .containsExactly("name", "slug");
        api.get("/api/v1/nothing", admin).expectProblem(404, "not-found");
    }

    /** The error statuses the contract declares are the ones the server gives, with the documented types. */
    @Test
    void theDocumentedErrorsAreTheOnesTheServerGives() {
        String admin = fixtures.adminToken();
        String tenant = fixtures.tenant();

        api.post("/api/v1/ops/tenants", admin, "{\"name\": ").expectProblem(400, "malformed-request");
        api.get("/api/v1/ops/tenants?status=paused", admin).expectProblem(400, "malformed-request");
        api.get("/api/v1/users?limit=0", admin).expectProblem(400, "malformed-request");
        api.get("/api/v1/me/tokens?cursor=bogus", admin).expectProblem(400, "malformed-request");
        api.get("/api/v1/audit-events?since=yesterday", admin).expectProblem(400, "malformed-request");
        api.get("/api/v1/quota", admin).expectProblem(400, "malformed-request");
        api.put("/api/v1/ops/tenants/" + tenant + "/quota", admin, Map.of("vcpus", 1.5)).expectProblem(400, "malformed-request");
        api.get("/api/v1/me", null).expectProblem(401, "unauthenticated");
        api.get("/api/v1/ops/tenants/" + tenant + "/quota", fixtures.principal(tenant, "tenant-admin").token())
                .expectProblem(403, "forbidden");
        api.get("/api/v1/ops/tenants/t-missing", admin).expectProblem(404, "not-found");
        api.put("/api/v1/me", admin, Map.of()).expectProblem(405, "method-not-allowed");
        api.post("/api/v1/ops/tenants", admin, "\"" + "x".repeat(1024 * 1024) + "\"").expectProblem(413, "payload-too-large");
        api.post("/api/v1/ops/tenants", admin, "name=x", Map.of("Content-Type", "text/plain")).expectProblem(415, "unsupported-media-type");
        api.patch("/api/v1/ops/tenants/" + tenant, admin, Map.of("status", "suspended")).expectProblem(422, "validation-failed");
    }

    /** One pass through every operation, so each success answer is held to the contract at least once. */
    @Test
    void everyOperationAnswersAsDocumented() {
        String ops = fixtures.adminToken();
        Map<String, Integer> limits = Map.of("vcpus", 8, "memoryMib", 16384, "diskGib", 100, "instances", 4);
        String tenant = api.post("/api/v1/ops/tenants", ops,
                Map.of("name", "Tour", "slug", Fixtures.unique("tour"), "quota", limits)).expect(201).text("id");
        fixtures.tenant();
        String nextTenants = api.get("/api/v1/ops/tenants?status=active&limit=1", ops).expect(200).text("nextCursor");
        api.get("/api/v1/ops/tenants?cursor=" + nextTenants, ops).expect(200);
        api.get("/api/v1/ops/tenants/" + tenant, ops).expect(200);
        api.patch("/api/v1/ops/tenants/" + tenant, ops, Map.of("name", "Tour Renamed")).expect(200);
        api.get("/api/v1/ops/tenants/" + tenant + "/quota", ops).expect(200);
        api.put("/api/v1/ops/tenants/" + tenant + "/quota", ops, limits).expect(200);
        api.get("/api/v1/quota?tenant=" + tenant, ops).expect(200);

        Fixtures.Principal admin = fixtures.principal(tenant, "tenant-admin");
        api.get("/api/v1/quota", admin.token()).expect(200);
        api.get("/api/v1/me", admin.token()).expect(200);
        String member = api.post("/api/v1/users", admin.token(), Map.of("email", Fixtures.unique("member") + "@example.test",
                "name", "Member", "role", "tenant-member", "password", "a long enough passphrase")).expect(201).text("id");
        String nextUsers = api.get("/api/v1/users?limit=1", admin.token()).expect(200).text("nextCursor");
        api.get("/api/v1/users?cursor=" + nextUsers, admin.token()).expect(200);
        api.get("/api/v1/users/" + member, admin.token()).expect(200);
        api.patch("/api/v1/users/" + member, admin.token(), Map.of("role", "tenant-viewer")).expect(200);
        String token = api.post("/api/v1/users/" + member + "/tokens", admin.token(), Map.of("name", "ci", "expiresInDays", 7))
                .expect(201).text("id");
        api.get("/api/v1/users/" + member + "/tokens", admin.token()).expect(200);
        api.delete("/api/v1/users/" + member + "/tokens/" + token, admin.token()).expect(204);
        String mine = api.post("/api/v1/me/tokens", admin.token(), Map.of("name", "laptop")).expect(201).text("id");
        api.get("/api/v1/me/tokens", admin.token()).expect(200);
        api.delete("/api/v1/me/tokens/" + mine, admin.token()).expect(204);
        api.delete("/api/v1/users/" + member, admin.token()).expect(204);
        api.delete("/api/v1/users/" + admin.userId(), admin.token()).expectProblem(409, "conflict");
        api.get("/api/v1/ops/users", admin.token()).expectProblem(403, "forbidden");
        api.get("/api/v1/audit-events?limit=2", admin.token()).expect(200);

        api.post("/api/v1/ops/users", ops, Map.of("email", Fixtures.unique("viewer") + "@ops.example.test",
                "name", "Viewer", "role", "ops-viewer")).expect(201);
        api.get("/api/v1/ops/users", ops).expect(200);
        api.get("/api/v1/me/tokens", ops).expect(200);
        api.get("/api/v1/audit-events?tenant=" + tenant + "&since=2000-01-01T00:00:00Z&until=2999-01-01T00:00:00Z", ops)
                .expect(200);
        assertThat(api.get("/api/v1/audit-events?actor=system", ops).expect(200).json().path("items")).isNotEmpty();
        api.get("/api/v1/openapi.yaml", null).expect(200);
    }

    @Test
    void idempotentReplaysAndReusedKeysConform() {
        String slug = Fixtures.unique("replayed");
        Map<String, String> key = Map.of("Idempotency-Key", Fixtures.unique("key"));
        ApiResponse first = api.post("/api/v1/ops/tenants", fixtures.adminToken(), Map.of("name", "Replayed", "slug", slug), key).expect(201);
        ApiResponse replay = api.post("/api/v1/ops/tenants", fixtures.adminToken(), Map.of("name", "Replayed", "slug", slug), key).expect(201);

        assertThat(replay.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(replay.body()).isEqualTo(first.body());
        api.post("/api/v1/ops/tenants", fixtures.adminToken(), Map.of("name", "Other", "slug", slug), key)
                .expectProblem(422, "idempotency-key-reused");
    }

    @Test
    void theCheckerFailsOnAnswersTheContractDoesNotDescribe() {
        ApiResponse me = api.get("/api/v1/me", fixtures.adminToken()).expect(200);
        ObjectNode withExtraField = (ObjectNode) me.json();
        withExtraField.put("surprise", true);
        ApiResponse created = api.post("/api/v1/ops/tenants", fixtures.adminToken(),
                Map.of("name", "Checked", "slug", Fixtures.unique("checked"))).expect(201);
        String problem = "{\"type\":\"urn:freehold:problem:conflict\",\"title\":\"Conflict\",\"status\":409,\"detail\":\"no\"}";

        assertThatThrownBy(() -> CONTRACT.checkResponse("GET", "/api/v1/me", new ApiResponse(200, me.headers(), withExtraField.toString())))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("getMe")
                .hasMessageContaining("surprise");
        assertThatThrownBy(() -> CONTRACT.checkResponse("GET", "/api/v1/me", new ApiResponse(409, headers("application/problem+json"), problem)))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("status 409 is not declared");
        assertThatThrownBy(() -> CONTRACT.checkResponse("GET", "/api/v1/me", new ApiResponse(200, headers("text/plain"), me.body())))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("Content-Type text/plain");
        assertThatThrownBy(() -> CONTRACT.checkResponse("POST", "/api/v1/ops/tenants", new ApiResponse(201, headers("application/json"), created.body())))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("required header Location is missing");
        assertThatThrownBy(() -> CONTRACT.checkResponse("GET", "/api/v1/ops/tenants/" + created.text("id"),
                new ApiResponse(404, headers("application/problem+json"), problem.replace("conflict", "gone"))))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("/type");
    }

    private static List<String> routesOf(RequestMappingInfo info) {
        Set<String> methods = info.getMethodsCondition().getMethods().isEmpty()
                ? Set.of("ANY")
                : info.getMethodsCondition().getMethods().stream().map(Enum::name).collect(Collectors.toSet());
        return info.getPatternValues().stream()
                .flatMap(pattern -> methods.stream().map(method -> method + " " + normalized(pattern)))
                .toList();
    }

    /** Variable names may differ between the spec and the controllers; only their places matter. */
    private static String normalized(String pathTemplate) {
        return PATH_VARIABLE.matcher(pathTemplate).replaceAll("{}");
    }

    private static Set<String> minus(Set<String> all, Set<String> removed) {
        Set<String> rest = new TreeSet<>(all);
        rest.removeAll(removed);
        return rest;
    }

    private static JsonNode resolve(JsonNode document, JsonNode node) {
        return node.has("$ref") ? document.at(node.path("$ref").asString().substring(1)) : node;
    }

    private static boolean references(JsonNode list, String ref) {
        return list.valueStream().anyMatch(item -> item.path("$ref").asString("").equals(ref));
    }

    private static boolean isProblem(JsonNode response) {
        JsonNode content = response.path("content");
        return content.size() == 1 && content.path("application/problem+json").path("schema").path("$ref").asString("").equals(PROBLEM_REF);
    }

    /**
     * A map such as host labels: its keys are constrained by {@code propertyNames} and every value is a
     * string, so it cannot carry a field the contract does not describe.
     */
    private static boolean isStringMap(JsonNode schema) {
        return schema.path("propertyNames").isObject() && schema.path("additionalProperties").path("type").asString("").equals("string");
    }

    private static boolean isObjectSchema(JsonNode schema) {
        JsonNode type = schema.path("type");
        return type.asString("").equals("object") || type.valueStream().anyMatch(t -> t.asString().equals("object"))
                || schema.has("properties");
    }

    /** Collects the pointers of every schema reachable from {@code pointer}, following references. */
    private static void visit(JsonNode document, String pointer, Set<String> visited) {
        if (!visited.add(pointer)) {
            return;
        }
        JsonNode schema = document.at(pointer);
        if (schema.has("$ref")) {
            visit(document, schema.path("$ref").asString().substring(1), visited);
        }
        for (String name : schema.path("properties").propertyNames()) {
            visit(document, pointer + "/properties/" + escape(name), visited);
        }
        if (schema.path("items").isObject()) {
            visit(document, pointer + "/items", visited);
        }
        if (schema.path("additionalProperties").isObject()) {
            visit(document, pointer + "/additionalProperties", visited);
        }
        for (String combinator : List.of("allOf", "anyOf", "oneOf")) {
            for (int i = 0; i < schema.path(combinator).size(); i++) {
                visit(document, pointer + "/" + combinator + "/" + i, visited);
            }
        }
    }

    private static String escape(String token) {
        return JsonPointer.empty().appendProperty(token).toString().substring(1);
    }

    private static HttpHeaders headers(String contentType) {
        return HttpHeaders.of(Map.of("Content-Type", List.of(contentType)), (name, value) -> true);
    }
}
