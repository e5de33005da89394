package io.freehold.controlplane.tenancy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;

import io.freehold.controlplane.testing.ApiResponse;
import io.freehold.controlplane.testing.ApiTest;
import io.freehold.controlplane.testing.Fixtures;
import io.freehold.controlplane.testing.Fixtures.Principal;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Quotas (stored and readable now, enforced by placement later) and the audit log. */
class QuotaAndAuditApiTest extends ApiTest {

    @Test
    void aNewTenantGetsTheDefaultQuotaWhichOpsCanChange() {
        String tenant = fixtures.tenant();
        Principal viewer = fixtures.principal(tenant, "tenant-viewer");

        JsonNode limits = api.get("/api/v1/quota", viewer.token()).expect(200).json().path("limits");
        assertThat(limits.path("vcpus").asInt()).isEqualTo(64);
        assertThat(limits.path("instances").asInt()).isEqualTo(100);

        Map<String, Object> raised = Map.of("vcpus", 128, "memoryMib", 524288, "diskGib", 8192, "instances", 200);
        api.put("/api/v1/ops/tenants/" + tenant + "/quota", adminToken(), raised).expect(200);

        JsonNode after = api.get("/api/v1/quota", viewer.token()).expect(200).json().path("limits");
        assertThat(after.path("vcpus").asInt()).isEqualTo(128);
        assertThat(after.path("memoryMib").asLong()).isEqualTo(524288);
        assertThat(api.get("/api/v1/quota?tenant=" + tenant, adminToken()).expect(200).json().path("limits").path("diskGib").asLong())
                .isEqualTo(8192);
    }

    @Test
    void aTenantCreatedWithAQuotaKeepsIt() {
        String slug = Fixtures.unique("small");
        String tenant = api.post("/api/v1/ops/tenants", adminToken(), Map.of("name", "Small", "slug", slug,
                "quota", Map.of("vcpus", 4, "memoryMib", 8192, "diskGib", 100, "instances", 2))).expect(201).text("id");

        assertThat(api.get("/api/v1/ops/tenants/" + tenant + "/quota", adminToken()).expect(200).json().path("limits").path("instances").asInt())
                .isEqualTo(2);
    }

    @Test
    void anInvalidQuotaNamesEveryBadDimension() {
        String tenant = fixtures.tenant();
        ApiResponse refused = api.put("/api/v1/ops/tenants/" + tenant + "/quota", adminToken(),
                Map.of("vcpus", -1, "memoryMib", 1024, "diskGib", 10)).expectProblem(422, "validation-failed");

        assertThat(refused.json().path("errors").valueStream().map(error -> error.path("field").asString()))
                .containsExactlyInAnyOrder("vcpus", "instances");
    }

    @Test
    void anOperatorMustNameTheTenantWhoseQuotaItReads() {
        api.get("/api/v1/quota", adminToken()).expectProblem(400, "malformed-request");
    }

    @Test
    void suspendingNeedsAReasonAndResumingClearsIt() {
        String tenant = fixtures.tenant();
        api.patch("/api/v1/ops/tenants/" + tenant, adminToken(), Map.of("status", "suspended")).expectProblem(422, "validation-failed");
        assertThat(api.get("/api/v1/ops/tenants/" + tenant, adminToken()).text("status")).isEqualTo("active");

        api.patch("/api/v1/ops/tenants/" + tenant, adminToken(), Map.of("status", "suspended", "suspendedReason", "audit")).expect(200);
        ApiResponse resumed = api.patch("/api/v1/ops/tenants/" + tenant, adminToken(), Map.of("status", "active")).expect(200);
        assertThat(resumed.json().has("suspendedReason")).isFalse();
    }

    @Test
    void slugsAreUnique() {
        String slug = Fixtures.unique("dup");
        api.post("/api/v1/ops/tenants", adminToken(), Map.of("name", "One", "slug", slug)).expect(201);
        api.post("/api/v1/ops/tenants", adminToken(), Map.of("name", "Two", "slug", slug)).expectProblem(409, "conflict");
    }

    @Test
    void everyMutationIsAuditedAndTenantsSeeOnlyTheirOwnEvents() {
        String tenant = fixtures.tenant();
        Principal admin = fixtures.principal(tenant, "tenant-admin");
        Instant before = Instant.now().minusSeconds(1);
        ApiResponse created = api.send("POST", "/api/v1/users", admin.token(),
                Map.of("email", Fixtures.unique("audited") + "@example.test", "name", "A", "role", "tenant-viewer"),
                Map.of("X-Request-Id", "audit-trace-1")).expect(201);

        JsonNode events = api.get("/api/v1/audit-events?action=user.create&actor=" + admin.userId() + "&since=" + before, admin.token())
                .expect(200).json().path("items");
        assertThat(events.size()).isOne();
        JsonNode event = events.get(0);
        assertThat(event.path("target").asString()).isEqualTo(created.text("id"));
        assertThat(event.path("tenantId").asString()).isEqualTo(tenant);
        assertThat(event.path("actorRole").asString()).isEqualTo("tenant-admin");
        assertThat(event.path("requestId").asString()).isEqualTo("audit-trace-1");
        assertThat(event.path("outcome").asString()).isEqualTo("succeeded");

        JsonNode everythingTheTenantSees = api.get("/api/v1/audit-events?limit=500", admin.token()).expect(200).json().path("items");
        assertThat(everythingTheTenantSees.valueStream().map(e -> e.path("tenantId").asString())).containsOnly(tenant);

        assertThat(api.get("/api/v1/audit-events?tenant=" + tenant + "&action=tenant.create", adminToken()).expect(200)
                .json().path("items").size()).isOne();
    }

    @Test
    void aRefusedMutationIsAuditedAsDenied() {
        String tenant = fixtures.tenant();
        Principal viewer = fixtures.principal(tenant, "tenant-viewer");
        api.post("/api/v1/users", viewer.token(), Map.of("email", Fixtures.unique("no") + "@example.test", "name", "N", "role", "tenant-viewer"))
                .expectProblem(403, "forbidden");

        JsonNode denied = api.get("/api/v1/audit-events?tenant=" + tenant + "&actor=" + viewer.userId(), adminToken()).expect(200)
                .json().path("items");
        assertThat(denied.valueStream().map(e -> e.path("outcome").asString() + " " + e.path("action").asString()))
                .containsExactly("denied http.post");
    }

    @Test
    void auditTimeFiltersBoundTheResults() {
        String tenant = fixtures.tenant();
        String future = Instant.now().plusSeconds(3600).toString();
        assertThat(api.get("/api/v1/audit-events?tenant=" + tenant + "&since=" + future, adminToken()).expect(200)
                .json().path("items").size()).isZero();
        assertThat(api.get("/api/v1/audit-events?tenant=" + tenant + "&until=" + future, adminToken()).expect(200)
                .json().path("items").size()).isPositive();
    }
}
