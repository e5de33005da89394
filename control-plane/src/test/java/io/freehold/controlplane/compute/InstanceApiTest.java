package io.freehold.controlplane.compute;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.freehold.controlplane.inventory.HostRegistry;
import io.freehold.controlplane.inventory.HostUtilisation;
import io.freehold.controlplane.inventory.TestFacts;
import io.freehold.controlplane.testing.ApiTest;
import io.freehold.controlplane.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * Instances as tenants and operators see them through REST: created PENDING and placed by the scheduling
 * pass (or kept PENDING with the reason), read and filtered, started, stopped and rebooted as spec
 * changes, resized only when stopped, deleted with their quota released at once, and invisible to other
 * tenants. The background pass is off in tests ({@link ApiTest}); these tests run {@link SchedulingPass}
 * themselves.
 */
class InstanceApiTest extends ApiTest {

    private static final String ED25519 = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJ8z0M5vQ0fJ4yG0mKq4xq8w4pX5yZ7wQyX9u0Pn3m2a alice@laptop";

    @Autowired
    private SchedulingPass pass;
    @Autowired
    private HostRegistry registry;

    private Map<String, Object> body(String flavorId, Object... more) {
        Map<String, Object> body = new HashMap<>(Map.of("name", Fixtures.unique("vm"), "flavorId", flavorId, "imageRef", fixtures.bootImage()));
        for (int i = 0; i < more.length; i += 2) {
            body.put((String) more[i], more[i + 1]);
        }
        return body;
    }

    /** Runs scheduling passes until none finds a due key (unplaced keys back off, so this ends). */
    private void schedule() {
        for (int i = 0; i < 100 && pass.runOnce() > 0; i++) {
            // another pass: more may be due
        }
    }

    private String flavor(int vcpus, long memoryMib) {
        return api.post("/api/v1/ops/flavors", fixtures.adminToken(), Map.of("name", Fixtures.unique("flavor"), "vcpus", vcpus,
                "memoryMib", memoryMib, "rootDiskGib", 100)).expect(201).text("id");
    }

    private void roomyQuota(String tenant) {
        api.put("/api/v1/ops/tenants/" + tenant + "/quota", fixtures.adminToken(),
                Map.of("vcpus", 100_000, "memoryMib", 100_000_000, "diskGib", 1_000_000, "instances", 1000)).expect(200);
    }

    @Test
    void aCreatedInstanceIsPendingAtGenerationOneWithTheFlavorsSizesAndIsListedWithoutItsUserData() {
        String tenant = fixtures.tenant();
        String member = fixtures.principal(tenant, "tenant-member").token();
        String viewer = fixtures.principal(tenant, "tenant-viewer").token();
        String flavor = fixtures.flavor();

        var created = api.post("/api/v1/instances", member, body(flavor, "name", "web-1", "sshKeys", List.of(ED25519),
                "userData", "#cloud-config\n", "labels", Map.of("tier", "web"))).expect(202);
        JsonNode instance = created.json();
        String id = instance.path("id").asString();

        assertThat(created.header("Location")).isEqualTo("/api/v1/instances/" + id);
        assertThat(instance.path("status").path("phase").asString()).isEqualTo("PENDING");
        assertThat(instance.path("spec").path("generation").asLong()).isEqualTo(1);
        assertThat(instance.path("spec").path("powerState").asString()).isEqualTo("running");
        assertThat(instance.path("status").path("observedGeneration").asLong()).isZero();
        JsonNode detail = api.get("/api/v1/instances/" + id, viewer).expect(200).json();
        assertThat(detail.path("spec").path("vcpus").asInt()).isEqualTo(1);
        assertThat(detail.path("spec").path("memoryMib").asLong()).isEqualTo(1024);
        assertThat(detail.path("spec").path("rootDiskGib").asLong()).isEqualTo(10);
        assertThat(detail.path("spec").path("userData").asString()).isEqualTo("#cloud-config\n");
        assertThat(detail.path("spec").path("sshKeys").get(0).asString()).isEqualTo(ED25519);
        assertThat(detail.path("labels").path("tier").asString()).isEqualTo("web");

        String other = api.post("/api/v1/instances", member, body(flavor, "name", "db-1", "labels", Map.of("tier", "db"))).expect(202).text("id");
        JsonNode page = api.get("/api/v1/instances?label=tier=web&phase=PENDING", viewer).expect(200).json();
        assertThat(page.path("items").valueStream().map(item -> item.path("id").asString())).containsExactly(id);
        assertThat(page.path("items").get(0).path("spec").has("userData")).as("lists leave user data out").isFalse();
        assertThat(api.get("/api/v1/instances?name=db-1", viewer).expect(200).json().path("items").valueStream()
                .map(item -> item.path("id").asString())).containsExactly(other);
        assertThat(api.get("/api/v1/instances?limit=1", viewer).expect(200).json().path("nextCursor").isNull()).isFalse();
        assertThat(api.get("/api/v1/instances?tenant=" + tenant, fixtures.principal(null, "ops-viewer").token()).expect(200).json()
                .path("items")).hasSize(2);
        api.get("/api/v1/instances?phase=BOOTING", viewer).expectProblem(400, "malformed-request");
    }

    @Test
    void aCreateIsRefusedOnEachBadFieldAndOnATakenName() {
        String tenant = fixtures.tenant();
        String member = fixtures.principal(tenant, "tenant-member").token();
        String othersFlavor = fixtures.limitedFlavor(fixtures.tenant());
        String othersGroup = fixtures.placementGroup(fixtures.tenant());

        JsonNode missing = api.post("/api/v1/instances", member, Map.of()).expectProblem(422, "validation-failed").json();
        assertThat(missing.path("errors").valueStream().map(error -> error.path("field").asString()))
                .containsExactly("flavorId", "imageRef", "name");

        JsonNode bad = api.post("/api/v1/instances", member, body(othersFlavor, "sshKeys", List.of("not a key"),
                        "userData", "x".repeat(65_537), "placementGroupId", othersGroup, "labels", Map.of("-bad", "x")))
                .expectProblem(422, "validation-failed").json();
        assertThat(bad.path("errors").valueStream().map(error -> error.path("field").asString()))
                .containsExactly("flavorId", "sshKeys[0]", "userData", "placementGroupId", "labels.-bad");

        api.post("/api/v1/instances", member, body(fixtures.flavor(), "name", "Web_1")).expectProblem(422, "validation-failed");
        api.post("/api/v1/instances", member, Map.of("name", "x", "flavorId", fixtures.flavor(), "imageRef", fixtures.bootImage(), "colour", "red"))
                .expectProblem(400, "malformed-request");
        api.post("/api/v1/instances", member, body(fixtures.flavor(), "name", "twin")).expect(202);
        api.post("/api/v1/instances", member, body(fixtures.flavor(), "name", "twin")).expectProblem(409, "conflict");
        api.post("/api/v1/instances", fixtures.adminToken(), body(fixtures.flavor())).expectProblem(400, "malformed-request");
    }

    @Test
    void aRetriedCreateWithTheSameIdempotencyKeyCreatesOneInstance() {
        String tenant = fixtures.tenant();
        String member = fixtures.principal(tenant, "tenant-member").token();
        Map<String, Object> body = body(fixtures.flavor());
        Map<String, String> key = Map.of("Idempotency-Key", Fixtures.unique("create"));

        var first = api.post("/api/v1/instances", member, body, key).expect(202);
        var again = api.post("/api/v1/instances", member, body, key).expect(202);

        assertThat(again.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(again.text("id")).isEqualTo(first.text("id"));
        assertThat(api.get("/api/v1/instances", member).expect(200).json().path("items")).hasSize(1);
    }

    @Test
    void anotherTenantsInstanceLooksAbsent() {
        String tenant = fixtures.tenant();
        String id = fixtures.unplaceableInstance(tenant);
        String stranger = fixtures.principal(fixtures.tenant(), "tenant-admin").token();

        api.get("/api/v1/instances/" + id, stranger).expectProblem(404, "not-found");
        api.post("/api/v1/instances/" + id + "/stop", stranger, null).expectProblem(404, "not-found");
        api.delete("/api/v1/instances/" + id, stranger).expectProblem(404, "not-found");
        api.get("/api/v1/instances?tenant=" + tenant, stranger).expectProblem(404, "not-found");
        assertThat(api.get("/api/v1/instances", stranger).expect(200).json().path("items")).isEmpty();
        api.get("/api/v1/instances/i-00000000000000000000000000", fixtures.adminToken()).expectProblem(404, "not-found");
    }

    @Test
    void actionsAreSpecChangesThatBumpTheGenerationOnlyWhenTheyChangeSomething() {
        String tenant = fixtures.tenant();
        String member = fixtures.principal(tenant, "tenant-member").token();
        String viewer = fixtures.principal(tenant, "tenant-viewer").token();
        String id = fixtures.unplaceableInstance(tenant);
        String path = "/api/v1/instances/" + id;

        JsonNode stopped = api.post(path + "/stop", member, null).expect(202).json();
        assertThat(stopped.path("spec").path("powerState").asString()).isEqualTo("stopped");
        assertThat(stopped.path("spec").path("generation").asLong()).isEqualTo(2);
        assertThat(api.post(path + "/stop", member, null).expect(202).json().path("spec").path("generation").asLong())
                .as("stopping again changes nothing").isEqualTo(2);
        api.post(path + "/reboot", member, null).expectProblem(409, "conflict");
        assertThat(api.post(path + "/start", member, null).expect(202).json().path("spec").path("generation").asLong()).isEqualTo(3);
        JsonNode rebooted = api.post(path + "/reboot", member, null).expect(202).json();
        assertThat(rebooted.path("spec").path("generation").asLong()).isEqualTo(4);
        assertThat(rebooted.path("spec").path("rebootCount").asLong()).isEqualTo(1);
        api.post(path + "/stop", viewer, null).expectProblem(403, "forbidden");
        assertThat(api.get(path, viewer).expect(200).json().path("spec").path("generation").asLong()).isEqualTo(4);
    }

    /** The resize that is done, and its refusals on a host, are told in agentlink's InstanceResizeTest, with an agent answering. */
    @Test
    void aResizeNamesAFlavorTheTenantMayUseAndWaitsUntilTheInstanceIsStoppedOnAHost() {
        String tenant = fixtures.tenant();
        String member = fixtures.principal(tenant, "tenant-member").token();
        String viewer = fixtures.principal(tenant, "tenant-viewer").token();
        String stranger = fixtures.principal(fixtures.tenant(), "tenant-admin").token();
        String id = fixtures.unplaceableInstance(tenant);
        String path = "/api/v1/instances/" + id + "/resize";
        api.post("/api/v1/instances/" + id + "/stop", member, null).expect(202);

        JsonNode pending = api.post(path, member, Map.of("flavorId", fixtures.flavor())).expectProblem(409, "conflict").json();
        assertThat(pending.path("detail").asString()).endsWith("the instance is not stopped yet (phase PENDING); wait for phase STOPPED");
        JsonNode foreignFlavor = api.post(path, member, Map.of("flavorId", fixtures.limitedFlavor(fixtures.tenant())))
                .expectProblem(422, "validation-failed").json();
        assertThat(foreignFlavor.path("errors").get(0).path("field").asString()).isEqualTo("flavorId");
        api.post(path, member, Map.of()).expectProblem(422, "validation-failed");
        api.post(path, member, Map.of("flavorId", fixtures.flavor(), "vcpus", 8)).expectProblem(400, "malformed-request");
        api.post(path, viewer, Map.of("flavorId", fixtures.flavor())).expectProblem(403, "forbidden");
        api.post(path, stranger, Map.of("flavorId", fixtures.flavor())).expectProblem(404, "not-found");
        assertThat(api.get("/api/v1/instances/" + id, member).expect(200).json().path("spec").path("generation").asLong())
                .as("only the stop changed the spec").isEqualTo(2);
    }

    @Test
    void anInstanceGetsScheduledOnAReadyHostAndDeletingItReleasesItsQuotaAtOnce() {
        String site = fixtures.site();
        String rack = api.post("/api/v1/ops/racks", fixtures.adminToken(), Map.of("siteId", site, "name", "r1")).expect(201).text("id");
        String host = fixtures.host(rack, 1);
        // 64 threads and 512 GiB: the only host in the tests that can hold 300 GiB.
        registry.connected(host, TestFacts.of("hv-big", 64, 512, 4000), Instant.now());
        // The host's agent heartbeats, as a real one would: the tests' liveness window is 3 s.
        ScheduledExecutorService agent = Executors.newSingleThreadScheduledExecutor();
        agent.scheduleAtFixedRate(() -> registry.heartbeats(Map.of(host, new HostUtilisation(0.5, 8L << 30, 100L << 30, 0)), Instant.now()),
                0, 500, TimeUnit.MILLISECONDS);
        try {
            String tenant = fixtures.tenant();
            roomyQuota(tenant);
            String member = fixtures.principal(tenant, "tenant-member").token();
            String id = api.post("/api/v1/instances", member, body(flavor(100, 300 * 1024))).expect(202).text("id");

            schedule();

            JsonNode scheduled = api.get("/api/v1/instances/" + id, member).expect(200).json();
            assertThat(scheduled.path("status").path("phase").asString()).as("placed, and its command written for the host")
                    .isEqualTo("PROVISIONING");
            assertThat(scheduled.path("status").path("hostId").asString()).isEqualTo(host);
            JsonNode condition = scheduled.path("status").path("conditions").get(0);
            assertThat(condition.path("type").asString()).isEqualTo("Scheduled");
            assertThat(condition.path("status").asString()).isEqualTo("True");
            assertThat(condition.path("reason").asString()).isEqualTo("Placed");
            assertThat(condition.path("message").asString()).startsWith("placed on " + host);
            JsonNode used = api.get("/api/v1/quota", member).expect(200).json().path("used");
            assertThat(used.path("vcpus").asInt()).isEqualTo(100);
            assertThat(used.path("instances").asInt()).isEqualTo(1);

            JsonNode deleting = api.delete("/api/v1/instances/" + id, member).expect(202).json();
            assertThat(deleting.path("status").path("phase").asString()).isEqualTo("DELETING");
            assertThat(deleting.has("deletedAt")).as("a placed instance waits for its host's agent").isFalse();
            JsonNode released = api.get("/api/v1/quota", member).expect(200).json().path("used");
            assertThat(released.path("vcpus").asInt()).isZero();
            assertThat(released.path("instances").asInt()).isZero();
            assertThat(api.get("/api/v1/instances/" + id, member).expect(200).json().path("status").path("phase").asString()).isEqualTo("DELETING");
            api.delete("/api/v1/instances/" + id, member).expect(202);
            api.post("/api/v1/instances/" + id + "/start", member, null).expectProblem(409, "conflict");
        } finally {
            agent.shutdownNow();
        }
    }

    @Test
    void anInstanceNothingCanHoldStaysPendingAndSaysWhy() {
        String tenant = fixtures.tenant();
        roomyQuota(tenant);
        String member = fixtures.principal(tenant, "tenant-member").token();
        String id = api.post("/api/v1/instances", member, body(flavor(1024, 1024))).expect(202).text("id");

        schedule();

        JsonNode status = api.get("/api/v1/instances/" + id, member).expect(200).json().path("status");
        assertThat(status.path("phase").asString()).isEqualTo("PENDING");
        assertThat(status.has("hostId")).isFalse();
        JsonNode condition = status.path("conditions").get(0);
        assertThat(condition.path("status").asString()).isEqualTo("False");
        assertThat(condition.path("reason").asString()).isEqualTo("Unschedulable");
        assertThat(condition.path("message").asString()).matches("0 of \\d+ hosts fit.*");
    }

    @Test
    void anInstancePastItsQuotaStaysPendingSaysWhichLimitAndIsRemovedAtOnceWhenDeleted() {
        String tenant = fixtures.tenant();
        String member = fixtures.principal(tenant, "tenant-member").token();
        String flavor = flavor(100, 1024);
        String group = fixtures.placementGroup(tenant);
        String id = api.post("/api/v1/instances", member, body(flavor, "placementGroupId", group)).expect(202).text("id");

        schedule();

        JsonNode condition = api.get("/api/v1/instances/" + id, member).expect(200).json().path("status").path("conditions").get(0);
        assertThat(condition.path("reason").asString()).isEqualTo("QuotaExceeded");
        assertThat(condition.path("message").asString()).contains("vcpus");
        api.delete("/api/v1/ops/flavors/" + flavor, fixtures.adminToken()).expectProblem(409, "conflict");
        api.delete("/api/v1/placement-groups/" + group, member).expectProblem(409, "conflict");

        JsonNode removed = api.delete("/api/v1/instances/" + id, member).expect(202).json();
        assertThat(removed.path("status").path("phase").asString()).isEqualTo("DELETING");
        assertThat(removed.has("deletedAt")).as("never placed: gone at once").isTrue();
        api.get("/api/v1/instances/" + id, member).expectProblem(404, "not-found");
        api.delete("/api/v1/instances/" + id, member).expectProblem(404, "not-found");
        // The name is free again.
        api.post("/api/v1/instances", member, body(fixtures.flavor(), "name", removed.path("name").asString())).expect(202);
        api.delete("/api/v1/ops/flavors/" + flavor, fixtures.adminToken()).expect(204);
        api.delete("/api/v1/placement-groups/" + group, member).expect(204);
    }
}
