package io.freehold.controlplane.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import io.freehold.controlplane.testing.ApiTest;
import io.freehold.controlplane.testing.Fixtures;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Operators model their data centers: sites, locations inside them and racks, each deletable only when empty. */
class SiteAndRackApiTest extends ApiTest {

    @Test
    void aSiteIsCreatedReadListedRenamedAndDeleted() {
        String admin = fixtures.adminToken();
        String name = Fixtures.unique("fra");
        JsonNode created = api.post("/api/v1/ops/sites", admin, Map.of("name", name, "address", " Hanauer Landstraße 300 ",
                "timezone", "Europe/Berlin")).expect(201).json();
        String id = created.path("id").asString();
        assertThat(created.path("address").asString()).isEqualTo("Hanauer Landstraße 300");

        assertThat(api.get("/api/v1/ops/sites/" + id, admin).expect(200).json()).isEqualTo(created);
        assertThat(api.get("/api/v1/ops/sites?name=" + name, admin).expect(200).json().path("items").valueStream()
                .map(site -> site.path("id").asString())).containsExactly(id);
        JsonNode renamed = api.patch("/api/v1/ops/sites/" + id, admin, Map.of("name", name + "-b", "timezone", "UTC")).expect(200).json();
        assertThat(renamed.path("name").asString()).isEqualTo(name + "-b");
        assertThat(renamed.path("address").asString()).isEqualTo("Hanauer Landstraße 300");
        api.delete("/api/v1/ops/sites/" + id, admin).expect(204);
        api.get("/api/v1/ops/sites/" + id, admin).expectProblem(404, "not-found");
        assertAudited(id, "site.create", "site.update", "site.delete");
    }

    @Test
    void aTimezoneMustBeAnIanaZoneId() {
        JsonNode problem = api.post("/api/v1/ops/sites", fixtures.adminToken(), Map.of("name", Fixtures.unique("site"), "timezone", "+02:00"))
                .expectProblem(422, "validation-failed").json();

        assertThat(problem.path("errors").get(0).path("field").asString()).isEqualTo("timezone");
    }

    @Test
    void siteNamesAreUnique() {
        String name = Fixtures.unique("site");
        api.post("/api/v1/ops/sites", fixtures.adminToken(), Map.of("name", name, "timezone", "UTC")).expect(201);

        api.post("/api/v1/ops/sites", fixtures.adminToken(), Map.of("name", name, "timezone", "UTC")).expectProblem(409, "conflict");
    }

    @Test
    void renamingASiteLocationOrRackOntoATakenNameIs409() {
        String admin = fixtures.adminToken();
        String taken = Fixtures.unique("site");
        api.post("/api/v1/ops/sites", admin, Map.of("name", taken, "timezone", "UTC")).expect(201);
        String site = fixtures.site();
        api.patch("/api/v1/ops/sites/" + site, admin, Map.of("name", taken)).expectProblem(409, "conflict");

        api.post("/api/v1/ops/sites/" + site + "/locations", admin, Map.of("name", "Cage 1", "kind", "cage")).expect(201);
        String location = fixtures.location(site);
        api.patch("/api/v1/ops/sites/" + site + "/locations/" + location, admin, Map.of("name", "Cage 1")).expectProblem(409, "conflict");

        api.post("/api/v1/ops/racks", admin, Map.of("siteId", site, "name", "r1")).expect(201);
        String rack = api.post("/api/v1/ops/racks", admin, Map.of("siteId", site, "name", "r2")).expect(201).text("id");
        api.patch("/api/v1/ops/racks/" + rack, admin, Map.of("name", "r1")).expectProblem(409, "conflict");
        assertThat(api.get("/api/v1/ops/racks/" + rack, admin).expect(200).text("name")).isEqualTo("r2");
    }

    @Test
    void aLocationIsCreatedListedChangedAndDeletedInsideItsSite() {
        String admin = fixtures.adminToken();
        String site = fixtures.site();
        String id = api.post("/api/v1/ops/sites/" + site + "/locations", admin, Map.of("name", "Hall 3", "kind", "hall"))
                .expect(201).text("id");

        api.post("/api/v1/ops/sites/" + site + "/locations", admin, Map.of("name", "Hall 3", "kind", "room")).expectProblem(409, "conflict");
        assertThat(api.get("/api/v1/ops/sites/" + site + "/locations", admin).expect(200).json().path("items").valueStream()
                .map(location -> location.path("name").asString())).containsExactly("Hall 3");
        assertThat(api.patch("/api/v1/ops/sites/" + site + "/locations/" + id, admin, Map.of("kind", "cage")).expect(200).text("kind"))
                .isEqualTo("cage");
        api.delete("/api/v1/ops/sites/" + fixtures.site() + "/locations/" + id, admin).expectProblem(404, "not-found");
        api.delete("/api/v1/ops/sites/" + site + "/locations/" + id, admin).expect(204);
        assertAudited(id, "location.create", "location.update", "location.delete");
    }

    @Test
    void aRackIsCreatedWithDefaultsReadFilteredChangedAndDeleted() {
        String admin = fixtures.adminToken();
        String site = fixtures.site();
        String location = fixtures.location(site);
        JsonNode created = api.post("/api/v1/ops/racks", admin, Map.of("siteId", site, "locationId", location, "name", "r12",
                "facilityId", "FRA1-R12", "row", "C", "powerBudgetKw", 11.5)).expect(201).json();
        String id = created.path("id").asString();
        assertThat(created.path("heightU").asInt()).isEqualTo(42);
        assertThat(created.path("numbering").asString()).isEqualTo("bottom-up");
        assertThat(created.path("status").asString()).isEqualTo("active");

        api.post("/api/v1/ops/racks", admin, Map.of("siteId", site, "name", "r12")).expectProblem(409, "conflict");
        assertThat(api.get("/api/v1/ops/racks/" + id, admin).expect(200).json()).isEqualTo(created);
        assertThat(api.get("/api/v1/ops/racks?site=" + site + "&location=" + location + "&status=active", admin).expect(200)
                .json().path("items").valueStream().map(rack -> rack.path("id").asString())).containsExactly(id);
        assertThat(api.get("/api/v1/ops/racks?site=" + site + "&status=retired", admin).expect(200).json().path("items")).isEmpty();
        JsonNode changed = api.patch("/api/v1/ops/racks/" + id, admin, Map.of("locationId", "", "row", "", "status", "decommissioning",
                "numbering", "top-down")).expect(200).json();
        assertThat(changed.has("locationId")).isFalse();
        assertThat(changed.has("row")).isFalse();
        assertThat(changed.path("facilityId").asString()).isEqualTo("FRA1-R12");
        assertThat(changed.path("numbering").asString()).isEqualTo("top-down");
        api.delete("/api/v1/ops/racks/" + id, admin).expect(204);
        assertAudited(id, "rack.create", "rack.update", "rack.delete");
    }

    @Test
    void aRacksLocationMustBeInItsSite() {
        String otherSitesLocation = fixtures.location(fixtures.site());

        JsonNode problem = api.post("/api/v1/ops/racks", fixtures.adminToken(), Map.of("siteId", fixtures.site(), "name", "r1",
                "locationId", otherSitesLocation)).expectProblem(422, "validation-failed").json();

        assertThat(problem.path("errors").get(0).path("field").asString()).isEqualTo("locationId");
    }

    @Test
    void aSiteThatHoldsARackOrLocationIsNotDeletedAndTheConflictNamesThem() {
        String admin = fixtures.adminToken();
        String site = fixtures.site();
        api.post("/api/v1/ops/sites/" + site + "/locations", admin, Map.of("name", "Cage 7", "kind", "cage")).expect(201);
        api.post("/api/v1/ops/racks", admin, Map.of("siteId", site, "name", "r-west")).expect(201);

        String detail = api.delete("/api/v1/ops/sites/" + site, admin).expectProblem(409, "conflict").text("detail");

        assertThat(detail).contains("1 rack ('r-west')").contains("1 location ('Cage 7')");
        api.get("/api/v1/ops/sites/" + site, admin).expect(200);
    }

    @Test
    void aLocationInWhichARackStandsIsNotDeleted() {
        String admin = fixtures.adminToken();
        String site = fixtures.site();
        String location = fixtures.location(site);
        api.post("/api/v1/ops/racks", admin, Map.of("siteId", site, "locationId", location, "name", "r-in-room")).expect(201);

        assertThat(api.delete("/api/v1/ops/sites/" + site + "/locations/" + location, admin).expectProblem(409, "conflict").text("detail"))
                .contains("'r-in-room'");
    }

    @Test
    void aRackThatHoldsAHostIsNotDeletedAndTheConflictNamesTheHost() {
        String rack = fixtures.rack();
        String host = fixtures.host(rack, 5);

        assertThat(api.delete("/api/v1/ops/racks/" + rack, fixtures.adminToken()).expectProblem(409, "conflict").text("detail"))
                .contains(host);
    }

    @Test
    void aRackCannotShrinkBelowAHostInIt() {
        String rack = fixtures.rack();
        String host = fixtures.host(rack, 40);

        assertThat(api.patch("/api/v1/ops/racks/" + rack, fixtures.adminToken(), Map.of("heightU", 39)).expectProblem(409, "conflict")
                .text("detail")).contains(host).contains("40–40");
        api.patch("/api/v1/ops/racks/" + rack, fixtures.adminToken(), Map.of("heightU", 40)).expect(200);
    }

    @Test
    void theAllInOneInstallationHasSiteLocalWithRackLocalR1() {
        String admin = fixtures.adminToken();
        JsonNode sites = api.get("/api/v1/ops/sites?name=local", admin).expect(200).json().path("items");
        assertThat(sites).hasSize(1);
        assertThat(sites.get(0).path("timezone").asString()).isEqualTo("UTC");

        JsonNode racks = api.get("/api/v1/ops/racks?site=" + sites.get(0).path("id").asString(), admin).expect(200).json().path("items");
        assertThat(racks.valueStream().filter(rack -> rack.path("name").asString().equals("local-r1"))).singleElement().satisfies(rack -> {
            assertThat(rack.path("heightU").asInt()).isEqualTo(42);
            assertThat(rack.path("status").asString()).isEqualTo("active");
        });
    }

    private void assertAudited(String target, String... actions) {
        JsonNode events = api.get("/api/v1/audit-events?target=" + target, fixtures.adminToken()).expect(200).json().path("items");
        assertThat(events.valueStream().map(event -> event.path("action").asString())).containsExactly(actions);
        assertThat(events.valueStream()).allSatisfy(event -> assertThat(event.has("tenantId")).isFalse());
    }
}
