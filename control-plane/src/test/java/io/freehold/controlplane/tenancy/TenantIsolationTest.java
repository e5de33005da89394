package io.freehold.controlplane.tenancy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import io.freehold.controlplane.testing.ApiTest;
import io.freehold.controlplane.testing.Fixtures;
import io.freehold.controlplane.testing.Fixtures.Principal;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The foundation issue's acceptance story: two tenants, each walled off from the other. */
class TenantIsolationTest extends ApiTest {

    @Test
    void aTenantSeesOnlyItsOwnUsersAndTokensAndForeignObjectsAreNotFound() {
        String tenantA = fixtures.tenant();
        String tenantB = fixtures.tenant();
        Principal adminA = fixtures.principal(tenantA, "tenant-admin");
        Principal adminB = fixtures.principal(tenantB, "tenant-admin");

        JsonNode usersOfA = api.get("/api/v1/users", adminA.token()).expect(200).json();
        assertThat(usersOfA.path("items").valueStream().map(user -> user.path("tenantId").asString()))
                .isNotEmpty()
                .containsOnly(tenantA);
        assertThat(usersOfA.path("items").valueStream().map(user -> user.path("id").asString()))
                .contains(adminA.userId())
                .doesNotContain(adminB.userId());

        JsonNode tokensOfA = api.get("/api/v1/me/tokens", adminA.token()).expect(200).json();
        assertThat(tokensOfA.path("items").valueStream().map(token -> token.path("userId").asString()))
                .containsOnly(adminA.userId());

        api.get("/api/v1/users/" + adminB.userId(), adminA.token()).expectProblem(404, "not-found");
        api.get("/api/v1/users/" + adminB.userId() + "/tokens", adminA.token()).expectProblem(404, "not-found");
        api.delete("/api/v1/users/" + adminB.userId(), adminA.token()).expectProblem(404, "not-found");
        api.get("/api/v1/users?tenant=" + tenantB, adminA.token()).expectProblem(404, "not-found");
    }

    @Test
    void aTenantCallingAnOpsEndpointIsForbidden() {
        Principal admin = fixtures.principal(fixtures.tenant(), "tenant-admin");

        api.get("/api/v1/ops/tenants", admin.token()).expectProblem(403, "forbidden");
        api.post("/api/v1/ops/tenants", admin.token(), Map.of("name", "Evil", "slug", Fixtures.unique("evil")))
                .expectProblem(403, "forbidden");
    }

    @Test
    void aSuspendedTenantsTokensAreRefusedWithTheReasonAndWorkAgainOnceResumed() {
        String tenant = fixtures.tenant();
        Principal member = fixtures.principal(tenant, "tenant-member");

        api.patch("/api/v1/ops/tenants/" + tenant, fixtures.adminToken(),
                Map.of("status", "suspended", "suspendedReason", "invoice 2026-10 unpaid")).expect(200);
        assertThat(api.get("/api/v1/me", member.token()).expectProblem(403, "tenant-suspended").text("detail"))
                .contains("invoice 2026-10 unpaid");

        api.patch("/api/v1/ops/tenants/" + tenant, fixtures.adminToken(), Map.of("status", "active")).expect(200);
        api.get("/api/v1/me", member.token()).expect(200);
    }
}
