package io.freehold.controlplane.scheduling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.freehold.controlplane.inventory.HostRegistry;
import io.freehold.controlplane.inventory.TestFacts;
import io.freehold.controlplane.inventory.decision.Capacity.Resources;
import io.freehold.controlplane.platform.web.ApiProblem;
import io.freehold.controlplane.platform.web.FieldError;
import io.freehold.controlplane.platform.web.ProblemType;
import io.freehold.controlplane.testing.ApiTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * Placement as tenants and operators see it through REST: dry runs that say where and why, quotas with
 * what is used, capacity with what is allocated, deletes refused while something is placed, and a
 * site's rack-loss headroom.
 */
class PlacementApiTest extends ApiTest {

    @Autowired
    private Placements placements;
    @Autowired
    private HostRegistry registry;

    /** A site with one rack of two READY hosts, each 8 threads, 16 GiB, 200 GiB: 28 vCPUs, 14336 MiB, 180 GiB allocatable. */
    private record Cluster(String site, String rack, String first, String second) {
    }

    private Cluster cluster() {
        String site = fixtures.site();
        String rack = api.post("/api/v1/ops/racks", fixtures.adminToken(), Map.of("siteId", site, "name", "r1")).expect(201).text("id");
        String first = fixtures.host(rack, 1);
        String second = fixtures.host(rack, 2);
        registry.connected(first, TestFacts.of("hv-a", 8, 16, 200), Instant.now());
        registry.connected(second, TestFacts.of("hv-b", 8, 16, 200), Instant.now());
        return new Cluster(site, rack, first, second);
    }

    @Test
    void aDryRunSaysWhereAGuestWouldGoAndReservesNothing() {
        Cluster cluster = cluster();
        String tenant = fixtures.tenant();
        String member = fixtures.principal(tenant, "tenant-member").token();

        JsonNode plan = api.post("/api/v1/placement/plans", member, Map.of("vcpus", 4, "memoryMib", 4096, "diskGib", 20, "siteId", cluster.site()))
                .expect(200).json();

        assertThat(plan.path("fits").asBoolean()).isTrue();
        assertThat(plan.path("placement").path("siteId").asString()).isEqualTo(cluster.site());
        assertThat(plan.path("placement").path("hostId").asString()).isIn(cluster.first(), cluster.second());
        assertThat(plan.path("explanation").asString()).startsWith("placed on " + plan.path("placement").path("hostId").asString());
        assertThat(plan.path("quota").path("fits").asBoolean()).isTrue();
        assertThat(api.get("/api/v1/quota", member).expect(200).json().path("used").path("vcpus").asInt()).isZero();
    }

    @Test
    void aDryRunThatCannotFitSaysWhyPerFilterAndWhatTheQuotaLacks() {
        Cluster cluster = cluster();
        String tenant = fixtures.tenant();
        api.post("/api/v1/ops/hosts/" + cluster.second() + "/cordon", fixtures.adminToken(), Map.of()).expect(200);
        String member = fixtures.principal(tenant, "tenant-member").token();

        JsonNode plan = api.post("/api/v1/placement/plans", member, Map.of("vcpus", 100, "memoryMib", 4096, "diskGib", 20, "siteId", cluster.site()))
                .expect(200).json();

        assertThat(plan.path("fits").asBoolean()).isFalse();
        assertThat(plan.has("placement")).isFalse();
        assertThat(plan.path("rejections").valueStream().map(r -> r.path("reason").asString() + "=" + r.path("hosts").asInt()))
                .contains("cordoned=1", "insufficient vCPUs=1");
        // Other tests' hosts share the database, so only this site's two hosts have counts this test can know.
        assertThat(plan.path("explanation").asString()).startsWith("0 of ").contains("1 cordoned", "1 insufficient vCPUs");
        assertThat(plan.path("quota").path("exceeded").get(0).path("dimension").asString()).isEqualTo("vcpus");
    }

    @Test
    void aReservationCountsInTheQuotaTheCapacityViewsAndKeepsItsHostAndGroupFromBeingDeleted() {
        Cluster cluster = cluster();
        String tenant = fixtures.tenant();
        String admin = fixtures.adminToken();
        String group = fixtures.placementGroup(tenant);

        Reservation reservation = placements.reserve(tenant, "instance:i-api-1",
                new PlacementSpec(new Resources(6, 6144, 60), cluster.site(), Map.of(), group));
        String host = reservation.allocation().orElseThrow().hostId();

        JsonNode quota = api.get("/api/v1/ops/tenants/" + tenant + "/quota", admin).expect(200).json();
        assertThat(quota.path("used").path("vcpus").asInt()).isEqualTo(6);
        assertThat(quota.path("used").path("memoryMib").asLong()).isEqualTo(6144);
        assertThat(quota.path("used").path("instances").asInt()).isEqualTo(1);
        JsonNode capacity = api.get("/api/v1/ops/hosts/" + host + "/capacity", admin).expect(200).json();
        assertThat(capacity.path("allocated").path("vcpus").asInt()).isEqualTo(6);
        assertThat(capacity.path("free").path("vcpus").asInt()).isEqualTo(22);
        assertThat(api.get("/api/v1/ops/racks/" + cluster.rack() + "/capacity", admin).expect(200).json().path("allocated").path("diskGib").asInt())
                .isEqualTo(60);
        assertThat(api.get("/api/v1/placement-groups/" + group, admin).expect(200).json().path("members").asInt()).isEqualTo(1);

        api.post("/api/v1/ops/hosts/" + host + "/revoke", admin, Map.of("reason", "test")).expect(200);
        api.delete("/api/v1/ops/hosts/" + host, admin).expectProblem(409, "conflict");
        api.delete("/api/v1/placement-groups/" + group, admin).expectProblem(409, "conflict");

        assertThat(placements.reserve(tenant, "instance:i-api-1", new PlacementSpec(new Resources(6, 6144, 60), null, Map.of(), group))
                .allocation().orElseThrow().hostId()).as("a repeated reservation").isEqualTo(host);
        assertThat(placements.release("instance:i-api-1")).isPresent();
        assertThat(placements.release("instance:i-api-1")).as("a repeated release").isEmpty();
        api.delete("/api/v1/ops/hosts/" + host, admin).expect(204);
        api.delete("/api/v1/placement-groups/" + group, admin).expect(204);
    }

    @Test
    void aReservationPastTheQuotaIsRefusedNamingEachDimensionAndTakesNothing() {
        Cluster cluster = cluster();
        String tenant = fixtures.tenant();
        api.put("/api/v1/ops/tenants/" + tenant + "/quota", fixtures.adminToken(),
                Map.of("vcpus", 4, "memoryMib", 1024, "diskGib", 1000, "instances", 10)).expect(200);

        assertThatThrownBy(() -> placements.reserve(tenant, "instance:i-quota", new PlacementSpec(new Resources(6, 2048, 10), cluster.site(),
                Map.of(), null)))
                .isInstanceOfSatisfying(ApiProblem.class, problem -> assertThat(problem.errors())
                        .extracting(error -> error.field()).containsExactly("vcpus", "memoryMib"));
        assertThat(api.get("/api/v1/ops/tenants/" + tenant + "/quota", fixtures.adminToken()).expect(200).json().path("used").path("vcpus")
                .asInt()).isZero();
    }

    @Test
    void aBatchAnswersEachAskOnItsOwnAndLaterAsksSeeWhatEarlierOnesTook() {
        Cluster cluster = cluster();
        String tenant = fixtures.tenant();
        String member = fixtures.principal(tenant, "tenant-member").token();
        String group = api.post("/api/v1/placement-groups", member, Map.of("name", "web", "policy", "anti-affinity-host")).expect(201).text("id");
        String other = fixtures.tenant();
        String othersGroup = api.post("/api/v1/placement-groups", fixtures.principal(other, "tenant-member").token(),
                Map.of("name", "web", "policy", "anti-affinity-host")).expect(201).text("id");
        String tight = fixtures.tenant();
        api.put("/api/v1/ops/tenants/" + tight + "/quota", fixtures.adminToken(),
                Map.of("vcpus", 3, "memoryMib", 100_000, "diskGib", 1000, "instances", 10)).expect(200);
        Reservation held = placements.reserve(tenant, "instance:i-batch-held", spec(cluster, 1, null));

        List<Reservation> answers = placements.reserveAll(List.of(
                new PlacementAsk(tenant, "instance:i-batch-held", spec(cluster, 1, null)),
                new PlacementAsk(tenant, "instance:i-batch-a", spec(cluster, 1, group)),
                new PlacementAsk(tenant, "instance:i-batch-b", spec(cluster, 1, group)),
                new PlacementAsk(tenant, "instance:i-batch-c", spec(cluster, 1, group)),
                new PlacementAsk(tight, "instance:i-batch-d", spec(cluster, 2, null)),
                new PlacementAsk(tight, "instance:i-batch-e", spec(cluster, 2, null)),
                new PlacementAsk(tenant, "instance:i-batch-f", spec(cluster, 1, othersGroup))));

        assertThat(answers.get(0).allocation()).as("already placed").isEqualTo(held.allocation());
        assertThat(List.of(answers.get(1), answers.get(2))).allSatisfy(answer -> assertThat(answer.placed()).isTrue());
        assertThat(answers.get(1).allocation().orElseThrow().hostId()).as("anti-affinity within the batch")
                .isNotEqualTo(answers.get(2).allocation().orElseThrow().hostId());
        assertThat(answers.get(3).placed()).isFalse();
        assertThat(answers.get(3).explanation()).contains("2 anti-affinity");
        assertThat(answers.get(4).placed()).as("the first ask of the tight tenant fits its quota").isTrue();
        assertThat(answers.get(5).refusal()).as("the second no longer does")
                .hasValueSatisfying(problem -> assertThat(problem.type()).isEqualTo(ProblemType.QUOTA_EXCEEDED));
        assertThat(answers.get(6).refusal()).as("another tenant's group")
                .hasValueSatisfying(problem -> assertThat(problem.errors()).extracting(FieldError::field).containsExactly("placementGroupId"));
        assertThatThrownBy(() -> placements.reserveAll(List.of(new PlacementAsk(tenant, "instance:i-batch-g", spec(cluster, 1, null)),
                new PlacementAsk(tenant, "instance:i-batch-g", spec(cluster, 1, null)))))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(api.get("/api/v1/ops/tenants/" + tenant + "/quota", fixtures.adminToken()).expect(200).json().path("used").path("instances")
                .asInt()).as("held, a and b").isEqualTo(3);
    }

    private static PlacementSpec spec(Cluster cluster, int vcpus, String group) {
        return new PlacementSpec(new Resources(vcpus, 512, 5), cluster.site(), Map.of(), group);
    }

    @Test
    void aSiteSurvivesARackLossOnlyWhenTheOtherRacksCanTakeItsGuests() {
        Cluster cluster = cluster();
        String tenant = fixtures.tenant();
        placements.reserve(tenant, "instance:i-headroom", new PlacementSpec(new Resources(20, 10_240, 100), cluster.site(), Map.of(), null));

        JsonNode oneRack = api.get("/api/v1/ops/sites/" + cluster.site() + "/rack-loss-headroom", fixtures.adminToken()).expect(200).json();
        assertThat(oneRack.path("survivesAnyRackLoss").asBoolean()).isFalse();
        assertThat(oneRack.path("racks").get(0).path("guests").asInt()).isEqualTo(1);
        assertThat(oneRack.path("racks").get(0).path("explanation").asString()).isEqualTo("0 of 0 hosts fit: there are no hosts");

        String spare = api.post("/api/v1/ops/racks", fixtures.adminToken(), Map.of("siteId", cluster.site(), "name", "r2")).expect(201).text("id");
        registry.connected(fixtures.host(spare, 1), TestFacts.of("hv-c", 8, 16, 200), Instant.now());
        JsonNode twoRacks = api.get("/api/v1/ops/sites/" + cluster.site() + "/rack-loss-headroom", fixtures.adminToken()).expect(200).json();
        assertThat(twoRacks.path("survivesAnyRackLoss").asBoolean()).isTrue();
        api.get("/api/v1/ops/sites/s-00000000000000000000000000/rack-loss-headroom", fixtures.adminToken()).expectProblem(404, "not-found");
    }
}
