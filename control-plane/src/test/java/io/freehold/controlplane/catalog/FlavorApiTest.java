package io.freehold.controlplane.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.freehold.controlplane.testing.ApiResponse;
import io.freehold.controlplane.testing.ApiTest;
import io.freehold.controlplane.testing.Fixtures;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Flavors: operators define them with fixed sizes and decide who may use them; a tenant sees exactly the
 * enabled public flavors and the enabled limited ones granted to it, and nothing else exists for it.
 * Tests share the database, so lists are checked for what this test made, never for being complete.
 */
class FlavorApiTest extends ApiTest {

    private static final String OPS = "/api/v1/ops/flavors";

    @Test
    void anOperatorDefinesAPublicFlavorThatEveryTenantMayChoose() {
        String name = Fixtures.unique("m1.small");
        ApiResponse created = api.post(OPS, fixtures.adminToken(), Map.of("name", name, "vcpus", 2, "memoryMib", 4096, "rootDiskGib", 40))
                .expect(201);
        JsonNode flavor = created.json();
        String id = flavor.path("id").asString();
        String member = fixtures.principal(fixtures.tenant(), "tenant-viewer").token();

        assertThat(created.header("Location")).isEqualTo(OPS + "/" + id);
        assertThat(flavor.path("visibility").asString()).isEqualTo("public");
        assertThat(flavor.path("disabled").asBoolean()).isFalse();
        assertThat(api.get(OPS + "/" + id, fixtures.principal(null, "ops-viewer").token()).expect(200).json()).isEqualTo(flavor);
        assertThat(availableIds(member)).contains(id);
        JsonNode seen = api.get("/api/v1/flavors/" + id, member).expect(200).json();
        assertThat(seen.path("name").asString()).isEqualTo(name);
        assertThat(seen.path("vcpus").asInt()).isEqualTo(2);
        assertThat(seen.path("memoryMib").asLong()).isEqualTo(4096);
        assertThat(seen.path("rootDiskGib").asLong()).isEqualTo(40);
        assertThat(seen.has("visibility")).as("tenants are not told who else may use a flavor").isFalse();
    }

    @Test
    void everyBadFieldIsNamedWithWhatIsExpectedAndNothingIsCreated() {
        JsonNode problem = api.post(OPS, fixtures.adminToken(), Map.of("name", "M1 Small", "vcpus", 0, "memoryMib", 32, "rootDiskGib", 0))
                .expectProblem(422, "validation-failed").json();

        assertThat(messages(problem)).containsExactlyInAnyOrderEntriesOf(Map.of(
                "name", "must be 1 to 63 lowercase letters, digits, dots, dashes and underscores, starting and ending with a letter or digit",
                "vcpus", "must be at least 1",
                "memoryMib", "must be at least 64 (MiB)",
                "rootDiskGib", "must be at least 1 (GiB)"));
        assertThat(messages(api.post(OPS, fixtures.adminToken(), Map.of()).expectProblem(422, "validation-failed").json()))
                .containsOnlyKeys("name", "vcpus", "memoryMib", "rootDiskGib")
                .allSatisfy((field, message) -> assertThat(message).isEqualTo("is required"));
        assertThat(messages(api.post(OPS, fixtures.adminToken(), Map.of("name", Fixtures.unique("huge"), "vcpus", 1025,
                "memoryMib", 16_777_217L, "rootDiskGib", 1_048_577L)).expectProblem(422, "validation-failed").json()))
                .containsOnlyKeys("vcpus", "memoryMib", "rootDiskGib");
        assertThat(messages(api.post(OPS, fixtures.adminToken(), Map.of("name", Fixtures.unique("odd"), "vcpus", 1, "memoryMib", 64,
                "rootDiskGib", 1, "visibility", "secret")).expectProblem(400, "malformed-request").json())).containsOnlyKeys("visibility");
    }

    @Test
    void namesAreUniqueAcrossTheInstallationOnCreateAndRename() {
        String name = Fixtures.unique("c1.large");
        Map<String, Object> body = Map.of("name", name, "vcpus", 8, "memoryMib", 16384, "rootDiskGib", 80);
        api.post(OPS, fixtures.adminToken(), body).expect(201);
        String other = fixtures.flavor();

        assertThat(api.post(OPS, fixtures.adminToken(), body).expectProblem(409, "conflict").text("detail")).contains(name);
        api.patch(OPS + "/" + other, fixtures.adminToken(), Map.of("name", name)).expectProblem(409, "conflict");
        assertThat(api.get(OPS + "/" + other, fixtures.adminToken()).expect(200).text("name")).isNotEqualTo(name);
    }

    @Test
    void sizesCannotChangeButTheNameVisibilityAndDisabledFlagCan() {
        String id = fixtures.flavor();
        JsonNode before = api.get(OPS + "/" + id, fixtures.adminToken()).expect(200).json();

        JsonNode problem = api.patch(OPS + "/" + id, fixtures.adminToken(), Map.of("vcpus", 4, "memoryMib", 8192, "name", Fixtures.unique("x")))
                .expectProblem(422, "validation-failed").json();
        assertThat(messages(problem)).containsOnlyKeys("vcpus", "memoryMib")
                .allSatisfy((field, message) -> assertThat(message).startsWith("cannot change: instances refer to a flavor's sizes"));
        assertThat(api.get(OPS + "/" + id, fixtures.adminToken()).expect(200).json()).as("a refused change changes nothing").isEqualTo(before);

        String renamed = Fixtures.unique("renamed");
        JsonNode after = api.patch(OPS + "/" + id, fixtures.adminToken(), Map.of("name", renamed, "visibility", "limited", "disabled", true,
                "vcpus", before.path("vcpus").asInt(), "memoryMib", before.path("memoryMib").asLong(),
                "rootDiskGib", before.path("rootDiskGib").asLong())).expect(200).json();
        assertThat(after.path("name").asString()).isEqualTo(renamed);
        assertThat(after.path("visibility").asString()).isEqualTo("limited");
        assertThat(after.path("disabled").asBoolean()).isTrue();
        assertThat(after.path("vcpus")).isEqualTo(before.path("vcpus"));
        assertThat(after.path("createdAt")).isEqualTo(before.path("createdAt"));
        api.patch(OPS + "/" + id, fixtures.adminToken(), Map.of("rootDiskGib", 0)).expectProblem(422, "validation-failed");
    }

    @Test
    void aLimitedFlavorIsSeenOnlyByTheTenantsItIsGrantedTo() {
        String tenantA = fixtures.tenant();
        String tenantB = fixtures.tenant();
        String a = fixtures.principal(tenantA, "tenant-member").token();
        String b = fixtures.principal(tenantB, "tenant-admin").token();
        String id = fixtures.limitedFlavor(tenantA);

        assertThat(availableIds(a)).contains(id);
        api.get("/api/v1/flavors/" + id, a).expect(200);
        assertThat(availableIds(b)).doesNotContain(id);
        api.get("/api/v1/flavors/" + id, b).expectProblem(404, "not-found");
        api.get("/api/v1/flavors/" + id + "?tenant=" + tenantA, b).expectProblem(404, "not-found");
        api.get("/api/v1/flavors?tenant=" + tenantA, b).expectProblem(404, "not-found");
        api.get("/api/v1/flavors/" + id + "?tenant=" + tenantB, fixtures.adminToken()).expectProblem(404, "not-found");
        api.get("/api/v1/flavors/" + id + "?tenant=" + tenantA, fixtures.adminToken()).expect(200);

        api.put(OPS + "/" + id + "/tenants/" + tenantB, fixtures.adminToken(), null).expect(200);
        api.get("/api/v1/flavors/" + id, b).expect(200);
        assertThat(grantedTenants(id)).containsExactlyInAnyOrder(tenantA, tenantB);

        api.delete(OPS + "/" + id + "/tenants/" + tenantA, fixtures.adminToken()).expect(204);
        api.get("/api/v1/flavors/" + id, a).expectProblem(404, "not-found");
        assertThat(availableIds(a)).doesNotContain(id);
        // revoking again is no error
        api.delete(OPS + "/" + id + "/tenants/" + tenantA, fixtures.adminToken()).expect(204);
        assertThat(grantedTenants(id)).containsExactly(tenantB);
    }

    @Test
    void grantingIsIdempotentKeepsTheFirstGrantAndIsAuditedForTheTenant() {
        String tenant = fixtures.tenant();
        String id = api.post(OPS, fixtures.adminToken(), Map.of("name", Fixtures.unique("gpu"), "vcpus", 16, "memoryMib", 65536,
                "rootDiskGib", 200, "visibility", "limited")).expect(201).text("id");

        JsonNode first = api.put(OPS + "/" + id + "/tenants/" + tenant, fixtures.adminToken(), null).expect(200).json();
        JsonNode again = api.put(OPS + "/" + id + "/tenants/" + tenant, fixtures.adminToken(), null).expect(200).json();

        assertThat(again).isEqualTo(first);
        assertThat(first.path("flavorId").asString()).isEqualTo(id);
        assertThat(first.path("tenantId").asString()).isEqualTo(tenant);
        JsonNode events = api.get("/api/v1/audit-events?action=flavor.grant&target=" + id,
                fixtures.principal(tenant, "tenant-admin").token()).expect(200).json().path("items");
        assertThat(events.size()).as("the tenant reads the grants in its own log").isEqualTo(2);
        api.put(OPS + "/" + id + "/tenants/t-01jh8m2w9q5x7c3v4b6n8d0f2g", fixtures.adminToken(), null).expectProblem(404, "not-found");
        api.put(OPS + "/fl-01jh8n4f5g6h7j8k9m0n1p2q3r/tenants/" + tenant, fixtures.adminToken(), null).expectProblem(404, "not-found");
        api.put(OPS + "/" + id + "/tenants/" + tenant, fixtures.principal(tenant, "tenant-admin").token(), null)
                .expectProblem(403, "forbidden");
    }

    @Test
    void aDisabledFlavorDisappearsFromTenantsChoiceUntilEnabledAgain() {
        String tenant = fixtures.tenant();
        String viewer = fixtures.principal(tenant, "tenant-viewer").token();
        String publicOne = fixtures.flavor();
        String limitedOne = fixtures.limitedFlavor(tenant);

        for (String id : List.of(publicOne, limitedOne)) {
            api.patch(OPS + "/" + id, fixtures.adminToken(), Map.of("disabled", true)).expect(200);
            api.get("/api/v1/flavors/" + id, viewer).expectProblem(404, "not-found");
            assertThat(availableIds(viewer)).doesNotContain(id);
            assertThat(api.get(OPS + "/" + id, fixtures.adminToken()).expect(200).json().path("disabled").asBoolean()).isTrue();

            api.patch(OPS + "/" + id, fixtures.adminToken(), Map.of("disabled", false)).expect(200);
            api.get("/api/v1/flavors/" + id, viewer).expect(200);
        }
    }

    @Test
    void makingAFlavorLimitedLeavesItToTheTenantsAlreadyOnItsList() {
        String tenantA = fixtures.tenant();
        String a = fixtures.principal(tenantA, "tenant-viewer").token();
        String b = fixtures.principal(fixtures.tenant(), "tenant-viewer").token();
        String id = fixtures.flavor();
        api.put(OPS + "/" + id + "/tenants/" + tenantA, fixtures.adminToken(), null).expect(200);

        // a grant does not narrow a public flavor
        api.get("/api/v1/flavors/" + id, b).expect(200);
        api.patch(OPS + "/" + id, fixtures.adminToken(), Map.of("visibility", "limited")).expect(200);

        api.get("/api/v1/flavors/" + id, a).expect(200);
        api.get("/api/v1/flavors/" + id, b).expectProblem(404, "not-found");
    }

    @Test
    void aRetriedCreateWithTheSameKeyMakesOneFlavor() {
        Map<String, Object> body = Map.of("name", Fixtures.unique("replayed"), "vcpus", 1, "memoryMib", 512, "rootDiskGib", 5);
        Map<String, String> key = Map.of("Idempotency-Key", Fixtures.unique("key"));

        ApiResponse first = api.post(OPS, fixtures.adminToken(), body, key).expect(201);
        ApiResponse replay = api.post(OPS, fixtures.adminToken(), body, key).expect(201);

        assertThat(replay.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(replay.body()).isEqualTo(first.body());
        assertThat(replay.header("Location")).isEqualTo(first.header("Location"));
        JsonNode events = api.get("/api/v1/audit-events?action=flavor.create&target=" + first.text("id"), fixtures.adminToken())
                .expect(200).json().path("items");
        assertThat(events.size()).as("created, and audited, once").isEqualTo(1);
        api.post(OPS, fixtures.adminToken(), Map.of("name", Fixtures.unique("other"), "vcpus", 1, "memoryMib", 512, "rootDiskGib", 5), key)
                .expectProblem(422, "idempotency-key-reused");
    }

    @Test
    void aDeletedFlavorIsGoneWithItsGrantsAndFreesItsName() {
        String tenant = fixtures.tenant();
        String id = fixtures.limitedFlavor(tenant);
        String name = api.get(OPS + "/" + id, fixtures.adminToken()).expect(200).text("name");

        api.delete(OPS + "/" + id, fixtures.adminToken()).expect(204);

        api.get(OPS + "/" + id, fixtures.adminToken()).expectProblem(404, "not-found");
        api.get(OPS + "/" + id + "/tenants", fixtures.adminToken()).expectProblem(404, "not-found");
        api.get("/api/v1/flavors/" + id, fixtures.principal(tenant, "tenant-viewer").token()).expectProblem(404, "not-found");
        api.delete(OPS + "/" + id, fixtures.adminToken()).expectProblem(404, "not-found");
        api.post(OPS, fixtures.adminToken(), Map.of("name", name, "vcpus", 1, "memoryMib", 64, "rootDiskGib", 1)).expect(201);
    }

    @Test
    void operatorsNameTheTenantWhoseChoiceTheyRead() {
        String id = fixtures.flavor();

        api.get("/api/v1/flavors", fixtures.adminToken()).expectProblem(400, "malformed-request");
        api.get("/api/v1/flavors/" + id, fixtures.adminToken()).expectProblem(400, "malformed-request");
        api.get("/api/v1/flavors?tenant=t-01jh8m2w9q5x7c3v4b6n8d0f2g", fixtures.adminToken()).expectProblem(404, "not-found");
        api.get("/api/v1/flavors/not-a-flavor?tenant=" + fixtures.tenant(), fixtures.adminToken()).expectProblem(404, "not-found");
        api.get("/api/v1/ops/flavors", fixtures.principal(fixtures.tenant(), "tenant-admin").token()).expectProblem(403, "forbidden");
    }

    @Test
    void listsArePagedById() {
        fixtures.flavor();
        fixtures.flavor();
        JsonNode first = api.get(OPS + "?limit=1", fixtures.principal(null, "ops-viewer").token()).expect(200).json();
        String cursor = first.path("nextCursor").asString();
        JsonNode second = api.get(OPS + "?limit=1&cursor=" + cursor, fixtures.adminToken()).expect(200).json();

        assertThat(second.path("items").get(0).path("id").asString()).isGreaterThan(first.path("items").get(0).path("id").asString());
        api.get(OPS + "?cursor=bogus", fixtures.adminToken()).expectProblem(400, "malformed-request");
        api.get("/api/v1/flavors?limit=0", fixtures.principal(fixtures.tenant(), "tenant-viewer").token())
                .expectProblem(400, "malformed-request");
    }

    private List<String> availableIds(String token) {
        return api.get("/api/v1/flavors?limit=500", token).expect(200).json().path("items").valueStream()
                .map(flavor -> flavor.path("id").asString()).toList();
    }

    private List<String> grantedTenants(String flavorId) {
        return api.get(OPS + "/" + flavorId + "/tenants", fixtures.adminToken()).expect(200).json().path("items").valueStream()
                .map(grant -> grant.path("tenantId").asString()).toList();
    }

    private static Map<String, String> messages(JsonNode problem) {
        Map<String, String> messages = new LinkedHashMap<>();
        problem.path("errors").valueStream().forEach(error -> messages.put(error.path("field").asString(), error.path("message").asString()));
        return messages;
    }
}
