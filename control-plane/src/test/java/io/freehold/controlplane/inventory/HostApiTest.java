package io.freehold.controlplane.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.freehold.controlplane.testing.ApiResponse;
import io.freehold.controlplane.testing.ApiTest;
import io.freehold.controlplane.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/** Ops rack hosts in slots, describe, move, cordon, revoke and delete them, and read their history. */
class HostApiTest extends ApiTest {

    @Autowired
    private HostRegistry registry;

    @Test
    void aPreRegisteredSlotIsRegisteredWithTheInstallationsDefaults() {
        String rack = fixtures.rack();
        JsonNode host = api.post("/api/v1/ops/hosts", fixtures.adminToken(), Map.of("rackId", rack, "positionU", 10, "heightU", 2,
                "hostname", "hv-012", "serial", "CZ1", "labels", Map.of("zone", "a"))).expect(201).json();

        assertThat(host.path("state").asString()).isEqualTo("REGISTERED");
        assertThat(host.path("rackId").asString()).isEqualTo(rack);
        assertThat(host.path("siteId").asString()).startsWith("s-");
        assertThat(host.path("cordoned").asBoolean()).isFalse();
        assertThat(host.path("cpuRatio").decimalValue()).isEqualByComparingTo("4");
        assertThat(host.path("reservedMemoryMib").asLong()).isEqualTo(2048);
        assertThat(host.path("labels").path("zone").asString()).isEqualTo("a");
        assertThat(host.has("facts")).isFalse();
        assertThat(api.get("/api/v1/ops/hosts/" + host.path("id").asString(), fixtures.adminToken()).expect(200).json()).isEqualTo(host);
    }

    @Test
    void aSlotOutsideTheRackIs422NamingPositionU() {
        String rack = fixtures.rack();

        for (Map<String, Object> slot : List.<Map<String, Object>>of(Map.of("positionU", 42, "heightU", 2), Map.of("positionU", 43))) {
            Map<String, Object> body = new HashMap<>(slot);
            body.put("rackId", rack);
            JsonNode problem = api.post("/api/v1/ops/hosts", fixtures.adminToken(), body).expectProblem(422, "validation-failed").json();
            assertThat(problem.path("errors").get(0).path("field").asString()).isEqualTo("positionU");
        }
        api.post("/api/v1/ops/hosts", fixtures.adminToken(), Map.of("rackId", rack, "positionU", 41, "heightU", 2)).expect(201);
    }

    @Test
    void anOverlappingSlotIs409NamingTheOccupantsIdAndHostname() {
        String rack = fixtures.rack();
        String occupant = api.post("/api/v1/ops/hosts", fixtures.adminToken(), Map.of("rackId", rack, "positionU", 10, "heightU", 2,
                "hostname", "hv-occupant")).expect(201).text("id");

        String detail = api.post("/api/v1/ops/hosts", fixtures.adminToken(), Map.of("rackId", rack, "positionU", 11))
                .expectProblem(409, "conflict").text("detail");

        assertThat(detail).contains(occupant).contains("hv-occupant");
        api.post("/api/v1/ops/hosts", fixtures.adminToken(), Map.of("rackId", rack, "positionU", 12)).expect(201);
    }

    @Test
    void ofConcurrentRequestsForOverlappingSlotsExactlyOneWins() throws Exception {
        String rack = fixtures.rack();
        int contenders = 8;
        CountDownLatch start = new CountDownLatch(1);
        List<Callable<ApiResponse>> requests = new ArrayList<>();
        for (int i = 0; i < contenders; i++) {
            int position = 20 + i % 2;
            requests.add(() -> {
                start.await();
                return api.post("/api/v1/ops/hosts", fixtures.adminToken(), Map.of("rackId", rack, "positionU", position, "heightU", 2));
            });
        }
        ExecutorService pool = Executors.newFixedThreadPool(contenders);
        try {
            List<Future<ApiResponse>> answers = requests.stream().map(pool::submit).toList();
            start.countDown();
            List<Integer> statuses = new ArrayList<>();
            for (Future<ApiResponse> answer : answers) {
                statuses.add(answer.get().status());
            }
            assertThat(statuses).containsOnly(201, 409).filteredOn(status -> status == 201).hasSize(1);
        } finally {
            pool.shutdownNow();
        }
        assertThat(api.get("/api/v1/ops/hosts?rack=" + rack, fixtures.adminToken()).expect(200).json().path("items")).hasSize(1);
    }

    @Test
    void aHostMovesWithinItsRackAndToAnotherRackUnderTheSameRules() {
        String admin = fixtures.adminToken();
        String rack = fixtures.rack();
        String host = fixtures.host(rack, 1);
        fixtures.host(rack, 5);

        api.patch("/api/v1/ops/hosts/" + host, admin, Map.of("positionU", 5)).expectProblem(409, "conflict");
        assertThat(api.patch("/api/v1/ops/hosts/" + host, admin, Map.of("heightU", 2)).expect(200).json().path("positionU").asInt()).isEqualTo(1);
        assertThat(api.patch("/api/v1/ops/hosts/" + host, admin, Map.of("positionU", 2)).expect(200).json().path("positionU").asInt())
                .isEqualTo(2);
        String otherRack = fixtures.rack();
        api.patch("/api/v1/ops/hosts/" + host, admin, Map.of("rackId", otherRack)).expectProblem(422, "validation-failed");
        JsonNode moved = api.patch("/api/v1/ops/hosts/" + host, admin, Map.of("rackId", otherRack, "positionU", 30)).expect(200).json();
        assertThat(moved.path("rackId").asString()).isEqualTo(otherRack);
        assertThat(moved.path("positionU").asInt()).isEqualTo(30);
        assertThat(moved.path("heightU").asInt()).isEqualTo(2);
    }

    @Test
    void changingLabelsARatioOrAReservationBumpsTheVersionAndRenamingDoesNot() {
        String admin = fixtures.adminToken();
        String host = fixtures.host(fixtures.rack(), 1);
        long version = api.get("/api/v1/ops/hosts/" + host, admin).expect(200).json().path("version").asLong();

        JsonNode renamed = api.patch("/api/v1/ops/hosts/" + host, admin, Map.of("hostname", "hv-renamed", "notes", "spare PSU")).expect(200).json();
        assertThat(renamed.path("version").asLong()).isEqualTo(version);
        JsonNode labelled = api.patch("/api/v1/ops/hosts/" + host, admin, Map.of("labels", Map.of("gpu", "none"))).expect(200).json();
        assertThat(labelled.path("version").asLong()).as("labels decide where guests may go").isEqualTo(version + 1);
        assertThat(labelled.path("labels")).hasSize(1);
        version++;
        JsonNode reratioed = api.patch("/api/v1/ops/hosts/" + host, admin, Map.of("cpuRatio", 2.5, "reservedVcpus", 4)).expect(200).json();
        assertThat(reratioed.path("version").asLong()).isEqualTo(version + 1);
        assertThat(reratioed.path("cpuRatio").decimalValue()).isEqualByComparingTo("2.5");
        assertThat(reratioed.path("hostname").asString()).isEqualTo("hv-renamed");
        assertThat(api.patch("/api/v1/ops/hosts/" + host, admin, Map.of("hostname", "")).expect(200).json().has("hostname")).isFalse();
    }

    @Test
    void ratiosMustBeAboveZeroAndLabelsWellFormed() {
        String host = fixtures.host(fixtures.rack(), 1);

        assertThat(api.patch("/api/v1/ops/hosts/" + host, fixtures.adminToken(), Map.of("memoryRatio", 0)).expectProblem(422, "validation-failed")
                .json().path("errors").get(0).path("field").asString()).isEqualTo("memoryRatio");
        assertThat(api.patch("/api/v1/ops/hosts/" + host, fixtures.adminToken(), Map.of("labels", Map.of("bad key", "x")))
                .expectProblem(422, "validation-failed").json().path("errors").get(0).path("field").asString()).isEqualTo("labels.bad key");
    }

    @Test
    void hostsAreListedByStateSiteRackLabelAndCordon() {
        String admin = fixtures.adminToken();
        String rack = fixtures.rack();
        String site = api.get("/api/v1/ops/racks/" + rack, admin).expect(200).text("siteId");
        String zoneA = api.post("/api/v1/ops/hosts", admin, Map.of("rackId", rack, "positionU", 1, "labels", Map.of("zone", "a", "gpu", "none")))
                .expect(201).text("id");
        String zoneB = api.post("/api/v1/ops/hosts", admin, Map.of("rackId", rack, "positionU", 2, "labels", Map.of("zone", "b")))
                .expect(201).text("id");
        api.post("/api/v1/ops/hosts/" + zoneB + "/cordon", admin, null).expect(200);

        assertThat(ids(api.get("/api/v1/ops/hosts?site=" + site, admin))).containsExactly(zoneA, zoneB);
        assertThat(ids(api.get("/api/v1/ops/hosts?rack=" + rack + "&label=zone=a&label=gpu=none", admin))).containsExactly(zoneA);
        assertThat(ids(api.get("/api/v1/ops/hosts?rack=" + rack + "&cordoned=true", admin))).containsExactly(zoneB);
        assertThat(ids(api.get("/api/v1/ops/hosts?rack=" + rack + "&state=READY", admin))).isEmpty();
        assertThat(ids(api.get("/api/v1/ops/hosts?rack=" + rack + "&state=REGISTERED&limit=1", admin))).containsExactly(zoneA);
        api.get("/api/v1/ops/hosts?label=zone", admin).expectProblem(400, "malformed-request");
        api.get("/api/v1/ops/hosts?cordoned=maybe", admin).expectProblem(400, "malformed-request");
        api.get("/api/v1/ops/hosts?site=fra1", admin).expectProblem(400, "malformed-request");
    }

    @Test
    void cordoningAndUncordoningAreIdempotentBumpTheVersionAndAreRecorded() {
        String admin = fixtures.adminToken();
        String host = fixtures.host(fixtures.rack(), 1);
        long version = api.get("/api/v1/ops/hosts/" + host, admin).expect(200).json().path("version").asLong();

        JsonNode cordoned = api.post("/api/v1/ops/hosts/" + host + "/cordon", admin, null).expect(200).json();
        assertThat(cordoned.path("cordoned").asBoolean()).isTrue();
        assertThat(cordoned.path("version").asLong()).isEqualTo(version + 1);
        assertThat(api.post("/api/v1/ops/hosts/" + host + "/cordon", admin, null).expect(200).json().path("version").asLong())
                .isEqualTo(version + 1);
        assertThat(api.post("/api/v1/ops/hosts/" + host + "/uncordon", admin, null).expect(200).json().path("cordoned").asBoolean()).isFalse();

        assertThat(eventKinds(host)).containsExactly("registered", "cordoned", "uncordoned");
        assertThat(auditActions(host)).containsExactly("host.create", "host.cordon", "host.cordon", "host.uncordon");
    }

    @Test
    void revokingAHostMakesItRevokedForGoodAndRecordsAHostEvent() {
        String admin = fixtures.adminToken();
        String host = fixtures.host(fixtures.rack(), 1);
        registry.connected(host, TestFacts.of("hv-revoked", 8, 16, 100), Instant.now());

        JsonNode revoked = api.post("/api/v1/ops/hosts/" + host + "/revoke", admin, Map.of("reason", "disk controller failed"))
                .expect(200).json();

        assertThat(revoked.path("state").asString()).isEqualTo("REVOKED");
        JsonNode event = api.get("/api/v1/ops/hosts/" + host + "/events", admin).expect(200).json().path("items").get(2);
        assertThat(event.path("kind").asString()).isEqualTo("revoked");
        assertThat(event.path("fromState").asString()).isEqualTo("READY");
        assertThat(event.path("toState").asString()).isEqualTo("REVOKED");
        assertThat(event.path("reason").asString()).contains("disk controller failed");
        assertThat(registry.connected(host, TestFacts.of("hv-revoked", 8, 16, 100), Instant.now())).isEqualTo(HostState.REVOKED);
        assertThat(api.post("/api/v1/ops/hosts/" + host + "/revoke", admin, null).expect(200).text("state")).isEqualTo("REVOKED");
        assertThat(eventKinds(host)).containsExactly("registered", "connected", "revoked");
        assertThat(auditActions(host)).containsExactly("host.create", "host.revoke", "host.revoke");
    }

    @Test
    void aReadyHostIsNotDeletedButOneThatIsNotReadyIs() {
        String admin = fixtures.adminToken();
        String host = fixtures.host(fixtures.rack(), 1);
        registry.connected(host, TestFacts.of("hv-ready", 8, 16, 100), Instant.now());

        assertThat(api.delete("/api/v1/ops/hosts/" + host, admin).expectProblem(409, "conflict").text("detail")).contains("READY");
        api.post("/api/v1/ops/hosts/" + host + "/revoke", admin, null).expect(200);
        api.delete("/api/v1/ops/hosts/" + host, admin).expect(204);
        api.get("/api/v1/ops/hosts/" + host, admin).expectProblem(404, "not-found");
        api.delete("/api/v1/ops/hosts/" + fixtures.host(fixtures.rack(), 1), admin).expect(204);
    }

    @Test
    void aHostThatConnectedShowsItsFactsAndEventsPageByPage() {
        String admin = fixtures.adminToken();
        String host = fixtures.host(fixtures.rack(), 1);
        registry.connected(host, TestFacts.of("hv-facts", 64, 256, 1800), Instant.now());

        JsonNode detail = api.get("/api/v1/ops/hosts/" + host, admin).expect(200).json();
        assertThat(detail.path("state").asString()).isEqualTo("READY");
        assertThat(detail.path("facts").path("cpuThreads").asInt()).isEqualTo(64);
        assertThat(detail.path("facts").path("kvmUsable").asBoolean()).isTrue();
        assertThat(detail.has("lastHeartbeatAt")).isTrue();

        JsonNode first = api.get("/api/v1/ops/hosts/" + host + "/events?limit=1", admin).expect(200).json();
        assertThat(first.path("items").get(0).path("kind").asString()).isEqualTo("registered");
        JsonNode second = api.get("/api/v1/ops/hosts/" + host + "/events?cursor=" + first.path("nextCursor").asString(), admin)
                .expect(200).json();
        assertThat(second.path("items").get(0).path("kind").asString()).isEqualTo("connected");
        assertThat(second.path("nextCursor").isNull()).isTrue();
    }

    @Test
    void theElevationOfABottomUpRackShowsEachUnitAndItsOccupant() {
        String admin = fixtures.adminToken();
        String rack = api.post("/api/v1/ops/racks", admin, Map.of("siteId", fixtures.site(), "name", "r-small", "heightU", 4))
                .expect(201).text("id");
        String host = api.post("/api/v1/ops/hosts", admin, Map.of("rackId", rack, "positionU", 2, "heightU", 2, "hostname", "hv-2u"))
                .expect(201).text("id");

        JsonNode units = api.get("/api/v1/ops/racks/" + rack + "/elevation", admin).expect(200).json().path("units");

        assertThat(units.valueStream().map(unit -> unit.path("unit").asInt() + "/" + unit.path("label").asInt() + ":"
                + unit.path("host").path("id").asString("-") + (unit.path("host").path("firstUnit").asBoolean() ? "*" : "")))
                .containsExactly("1/1:-", "2/2:" + host + "*", "3/3:" + host, "4/4:-");
        assertThat(units.get(1).path("host").path("hostname").asString()).isEqualTo("hv-2u");
        assertThat(units.get(1).path("host").path("state").asString()).isEqualTo("REGISTERED");
    }

    @Test
    void theElevationOfATopDownRackLabelsItsTopUnitOne() {
        String admin = fixtures.adminToken();
        String rack = api.post("/api/v1/ops/racks", admin, Map.of("siteId", fixtures.site(), "name", "r-top", "heightU", 3,
                "numbering", "top-down")).expect(201).text("id");
        String host = fixtures.host(rack, 3);

        JsonNode units = api.get("/api/v1/ops/racks/" + rack + "/elevation", admin).expect(200).json().path("units");

        assertThat(units.valueStream().map(unit -> unit.path("label").asInt())).containsExactly(3, 2, 1);
        assertThat(units.get(2).path("host").path("id").asString()).isEqualTo(host);
        assertThat(units.get(0).has("host")).isFalse();
    }

    @Test
    void anUnknownOrMalformedHostIdIs404() {
        api.get("/api/v1/ops/hosts/h-01jh8n3d4e5f6g7h8j9k0m1n2p", fixtures.adminToken()).expectProblem(404, "not-found");
        api.post("/api/v1/ops/hosts/nonsense/cordon", fixtures.adminToken(), null).expectProblem(404, "not-found");
        api.post("/api/v1/ops/hosts", fixtures.adminToken(), Map.of("rackId", "r-nonsense", "positionU", 1, "hostname", Fixtures.unique("hv")))
                .expectProblem(422, "validation-failed");
    }

    private List<String> ids(ApiResponse response) {
        return response.expect(200).json().path("items").valueStream().map(item -> item.path("id").asString()).toList();
    }

    private List<String> eventKinds(String host) {
        return api.get("/api/v1/ops/hosts/" + host + "/events", fixtures.adminToken()).expect(200).json().path("items").valueStream()
                .map(event -> event.path("kind").asString()).toList();
    }

    private List<String> auditActions(String target) {
        return api.get("/api/v1/audit-events?target=" + target, fixtures.adminToken()).expect(200).json().path("items").valueStream()
                .map(event -> event.path("action").asString()).toList();
    }
}
