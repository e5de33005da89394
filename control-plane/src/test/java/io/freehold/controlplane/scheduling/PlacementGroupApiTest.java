package io.freehold.controlplane.scheduling;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import io.freehold.controlplane.testing.ApiTest;
import io.freehold.controlplane.testing.Fixtures;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** A tenant's placement groups: created with a rule, read only by their tenant and operators, deleted when empty. */
class PlacementGroupApiTest extends ApiTest {

    @Test
    void aGroupIsCreatedWithBinPackingByDefaultReadListedAndDeleted() {
        String tenant = fixtures.tenant();
        String member = fixtures.principal(tenant, "tenant-member").token();
        JsonNode created = api.post("/api/v1/placement-groups", member, Map.of("name", "db-replicas", "policy", "anti-affinity-rack"))
                .expect(201).json();
        String id = created.path("id").asString();

        assertThat(created.path("tenantId").asString()).isEqualTo(tenant);
        assertThat(created.path("policy").asString()).isEqualTo("anti-affinity-rack");
        assertThat(created.path("scoring").asString()).isEqualTo("bin-pack");
        assertThat(created.path("members").asInt()).isZero();
        assertThat(api.get("/api/v1/placement-groups/" + id, member).expect(200).json()).isEqualTo(created);
        assertThat(api.get("/api/v1/placement-groups", member).expect(200).json().path("items").valueStream()
                .map(group -> group.path("id").asString())).containsExactly(id);
        api.delete("/api/v1/placement-groups/" + id, member).expect(204);
        api.get("/api/v1/placement-groups/" + id, member).expectProblem(404, "not-found");
    }

    @Test
    void anotherTenantsGroupLooksAbsentAndItsListIsItsOwn() {
        String group = fixtures.placementGroup(fixtures.tenant());
        String other = fixtures.principal(fixtures.tenant(), "tenant-admin").token();

        api.get("/api/v1/placement-groups/" + group, other).expectProblem(404, "not-found");
        api.delete("/api/v1/placement-groups/" + group, other).expectProblem(404, "not-found");
        assertThat(api.get("/api/v1/placement-groups", other).expect(200).json().path("items").size()).isZero();
        assertThat(api.get("/api/v1/placement-groups/" + group, fixtures.adminToken()).expect(200).text("id")).isEqualTo(group);
    }

    @Test
    void badFieldsAreNamedAndNothingIsCreated() {
        String tenant = fixtures.tenant();
        String admin = fixtures.principal(tenant, "tenant-admin").token();

        JsonNode problem = api.post("/api/v1/placement-groups", admin, Map.of("name", "Web Tier", "policy", "near", "scoring", "random"))
                .expectProblem(422, "validation-failed").json();

        assertThat(problem.path("errors").valueStream().map(error -> error.path("field").asString()))
                .containsExactlyInAnyOrder("name", "policy", "scoring");
        assertThat(api.get("/api/v1/placement-groups", admin).expect(200).json().path("items").size()).isZero();
    }

    @Test
    void namesAreUniqueWithinATenantOnly() {
        String name = Fixtures.unique("web");
        String first = fixtures.principal(fixtures.tenant(), "tenant-admin").token();
        String second = fixtures.principal(fixtures.tenant(), "tenant-admin").token();
        api.post("/api/v1/placement-groups", first, Map.of("name", name, "policy", "affinity-host")).expect(201);

        api.post("/api/v1/placement-groups", first, Map.of("name", name, "policy", "affinity-host")).expectProblem(409, "conflict");
        api.post("/api/v1/placement-groups", second, Map.of("name", name, "policy", "affinity-host")).expect(201);
    }

    @Test
    void anOperatorMustNameTheTenant() {
        api.post("/api/v1/placement-groups", fixtures.adminToken(), Map.of("name", "web", "policy", "affinity-host"))
                .expectProblem(400, "malformed-request");
    }
}
