package io.freehold.controlplane.platform.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import io.freehold.controlplane.testing.ApiTest;
import io.freehold.controlplane.testing.ApiResponse;
import io.freehold.controlplane.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/** What every request gets from the pipeline, whatever its handler: ids, atomicity, limits, errors. */
class RequestPipelineTest extends ApiTest {

    @Autowired
    JdbcClient jdbc;

    @Test
    void aHandlerThatWritesAndThenRefusesLeavesNothingBehind() {
        for (int status : new int[] {422, 409, 500}) {
            String marker = Fixtures.unique("refused");
            api.post("/api/test/write-then-answer/" + marker + "/" + status, adminToken(), "{}").expect(status);
            assertThat(rowsWith(marker)).as("rows left by a %d answer", status).isZero();
        }
        String kept = Fixtures.unique("kept");
        api.post("/api/test/write-then-answer/" + kept + "/200", adminToken(), "{}").expect(200);
        assertThat(rowsWith(kept)).isOne();
    }

    @Test
    void anUnexpectedFailureIsAProblemQuotingTheRequestIdNotAStackTrace() {
        ApiResponse response = api.post("/api/test/write-then-answer/" + Fixtures.unique("bug") + "/500", adminToken(), "{}")
                .expectProblem(500, "internal");
        assertThat(response.text("detail")).contains(response.header(RequestIds.HEADER)).doesNotContain("Exception");
    }

    @Test
    void aWellFormedRequestIdIsEchoedAndAnyOtherReplaced() {
        ApiResponse echoed = api.send("GET", "/api/v1/me", adminToken(), null, Map.of("X-Request-Id", "trace-42.a_b"));
        assertThat(echoed.header("X-Request-Id")).isEqualTo("trace-42.a_b");

        ApiResponse replaced = api.send("GET", "/api/v1/me", adminToken(), null, Map.of("X-Request-Id", "bad id with spaces"));
        assertThat(replaced.header("X-Request-Id")).startsWith("req-");

        ApiResponse problem = api.send("GET", "/api/v1/ops/tenants/t-nope", adminToken(), null, Map.of("X-Request-Id", "trace-43"));
        assertThat(problem.expectProblem(404, "not-found").text("requestId")).isEqualTo("trace-43");
    }

    @Test
    void anOversizedBodyIs413WithoutReachingTheHandler() {
        String huge = "{\"name\":\"" + "x".repeat(1_100_000) + "\",\"slug\":\"huge\"}";
        api.post("/api/v1/ops/tenants", adminToken(), huge).expectProblem(413, "payload-too-large");
    }

    @Test
    void badInputOfEveryKindIsAClientErrorNamingTheField() {
        String token = adminToken();
        assertThat(api.post("/api/v1/ops/tenants", token, "{\"name\": \"x\", ").expectProblem(400, "malformed-request")
                .text("detail")).contains("not valid JSON");
        assertThat(api.post("/api/v1/ops/tenants", token, Map.of("name", "x", "slug", "ok-slug", "quota", Map.of("vcpus", "many")))
                .expectProblem(400, "malformed-request").json().path("errors").get(0).path("field").asString())
                .isEqualTo("quota.vcpus");
        assertThat(api.post("/api/v1/ops/tenants", token, Map.of("name", "x", "slug", "ok-slug", "colour", "blue"))
                .expectProblem(400, "malformed-request").json().path("errors").get(0).path("field").asString())
                .isEqualTo("colour");
        assertThat(api.post("/api/v1/users?tenant=" + fixtures.tenant(), token,
                        Map.of("email", "x@example.test", "name", "x", "role", "superuser"))
                .expectProblem(400, "malformed-request").text("detail"))
                .contains("role").contains("tenant-admin");
        api.post("/api/v1/ops/tenants", token, "[]").expectProblem(400, "malformed-request");
        api.post("/api/v1/ops/tenants", token, "").expectProblem(400, "malformed-request");
        api.send("POST", "/api/v1/ops/tenants", token, "name=x", Map.of("Content-Type", "text/plain"))
                .expectProblem(415, "unsupported-media-type");
        api.get("/api/v1/ops/tenants?limit=0", token).expectProblem(400, "malformed-request");
        api.get("/api/v1/ops/tenants?limit=many", token).expectProblem(400, "malformed-request");
        api.get("/api/v1/ops/tenants?cursor=not-a-cursor", token).expectProblem(400, "malformed-request");
        api.get("/api/v1/ops/tenants?status=sleeping", token).expectProblem(400, "malformed-request");
        api.get("/api/v1/audit-events?since=yesterday", token).expectProblem(400, "malformed-request");
        api.get("/api/v1/ops/tenants/%20not-an-id", token).expectProblem(404, "not-found");
        api.get("/api/v1/users/t-01m8hbqxxqzeqjne76v6fecb7m", token).expectProblem(404, "not-found");
        api.send("PUT", "/api/v1/me", token, null, Map.of()).expectProblem(405, "method-not-allowed");
        api.get("/api/v1/no-such-thing", token).expectProblem(404, "not-found");
    }

    @Test
    void requestsWithoutAValidBearerTokenAreUnauthenticated() {
        api.get("/api/v1/me", null).expectProblem(401, "unauthenticated");
        api.send("GET", "/api/v1/me", null, null, Map.of("Authorization", "Basic YWRtaW46YWRtaW4=")).expectProblem(401, "unauthenticated");
        api.get("/api/v1/me", "fh_0000000000_00000000000000000000000000000000").expectProblem(401, "unauthenticated");
        api.get("/api/v1/me", adminToken() + "x").expectProblem(401, "unauthenticated");
        api.get("/api/v1/openapi.yaml", null).expect(200);
    }

    @Test
    void healthIncludesTheDatabaseAndMetricsArePublished() {
        ApiResponse health = api.get("/actuator/health", null).expect(200);
        assertThat(health.text("status")).isEqualTo("UP");
        assertThat(health.json().path("components").path("db").path("status").asString()).isEqualTo("UP");
        assertThat(api.get("/actuator/prometheus", null).expect(200).body()).contains("http_server_requests_seconds");
    }

    @Test
    void theStartPageSaysWhereTheApiTheTokenAndTheContractAre() {
        String page = api.get("/", null).expect(200).body();
        assertThat(page).contains("/api/v1").contains(home().resolve("admin.token").toString()).contains("/api/v1/openapi.yaml");
    }

    private int rowsWith(String marker) {
        return jdbc.sql("select count(*) from test_only_write where marker = :marker").param("marker", marker)
                .query(Integer.class).single();
    }
}
