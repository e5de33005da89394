package io.freehold.controlplane.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;

import io.freehold.controlplane.testing.ApiTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/** Capacity per host, rack and site: (physical − reserved) × ratio, from the facts agents report. */
class CapacityApiTest extends ApiTest {

    @Autowired
    private HostRegistry registry;

    @Test
    void aHostsCapacityIsItsMeasuredResourcesLessTheReservationTimesTheRatio() {
        String admin = fixtures.adminToken();
        String host = api.post("/api/v1/ops/hosts", admin, Map.of("rackId", fixtures.rack(), "positionU", 1, "cpuRatio", 4,
                "memoryRatio", 1.5, "diskRatio", 1, "reservedVcpus", 2, "reservedMemoryMib", 4096, "reservedDiskGib", 100))
                .expect(201).text("id");
        registry.connected(host, TestFacts.of("hv-cap", 64, 256, 1800), Instant.now());

        JsonNode capacity = api.get("/api/v1/ops/hosts/" + host + "/capacity", admin).expect(200).json();

        assertThat(capacity.path("measured").asBoolean()).isTrue();
        assertThat(resources(capacity.path("physical"))).isEqualTo("64/262144/1800");
        assertThat(resources(capacity.path("reserved"))).isEqualTo("2/4096/100");
        assertThat(resources(capacity.path("allocatable"))).isEqualTo("248/387072/1700");
        assertThat(resources(capacity.path("allocated"))).isEqualTo("0/0/0");
        assertThat(resources(capacity.path("free"))).isEqualTo("248/387072/1700");
        assertThat(capacity.path("overcommitted").asBoolean()).isFalse();
    }

    @Test
    void aLoweredRatioTakesEffectAtOnce() {
        String admin = fixtures.adminToken();
        String host = fixtures.host(fixtures.rack(), 1);
        registry.connected(host, TestFacts.of("hv-lowered", 16, 64, 500), Instant.now());

        api.patch("/api/v1/ops/hosts/" + host, admin, Map.of("cpuRatio", 1)).expect(200);

        assertThat(api.get("/api/v1/ops/hosts/" + host + "/capacity", admin).expect(200).json().path("allocatable").path("vcpus").asLong())
                .isEqualTo(15);
    }

    @Test
    void aSlotNoAgentJoinedHasNoCapacityYet() {
        JsonNode capacity = api.get("/api/v1/ops/hosts/" + fixtures.host(fixtures.rack(), 1) + "/capacity", fixtures.adminToken())
                .expect(200).json();

        assertThat(capacity.path("measured").asBoolean()).isFalse();
        assertThat(resources(capacity.path("allocatable"))).isEqualTo("0/0/0");
    }

    @Test
    void aRackAndItsSiteSumTheirHostsAndOnlyReadyUncordonedOnesAreSchedulable() {
        String admin = fixtures.adminToken();
        String rack = fixtures.rack();
        String site = api.get("/api/v1/ops/racks/" + rack, admin).expect(200).text("siteId");
        String ready = fixtures.host(rack, 1);
        String cordoned = fixtures.host(rack, 2);
        String revoked = fixtures.host(rack, 3);
        fixtures.host(rack, 4);
        for (String host : new String[] {ready, cordoned, revoked}) {
            registry.connected(host, TestFacts.of(host, 9, 10, 120), Instant.now());
        }
        api.post("/api/v1/ops/hosts/" + cordoned + "/cordon", admin, null).expect(200);
        api.post("/api/v1/ops/hosts/" + revoked + "/revoke", admin, null).expect(200);

        JsonNode rackCapacity = api.get("/api/v1/ops/racks/" + rack + "/capacity", admin).expect(200).json();

        // Each measured host: (9 − 1) × 4 vCPUs, (10240 − 2048) × 1 MiB, (120 − 20) × 1 GiB; the revoked one is left out.
        assertThat(rackCapacity.path("hosts").asInt()).isEqualTo(3);
        assertThat(rackCapacity.path("measuredHosts").asInt()).isEqualTo(2);
        assertThat(resources(rackCapacity.path("physical"))).isEqualTo("18/20480/240");
        assertThat(resources(rackCapacity.path("allocatable"))).isEqualTo("64/16384/200");
        assertThat(resources(rackCapacity.path("schedulableFree"))).isEqualTo("32/8192/100");
        JsonNode siteCapacity = api.get("/api/v1/ops/sites/" + site + "/capacity", admin).expect(200).json();
        assertThat(siteCapacity.path("scope").asString()).isEqualTo("site");
        assertThat(resources(siteCapacity.path("allocatable"))).isEqualTo("64/16384/200");
    }

    private static String resources(JsonNode resources) {
        return resources.path("vcpus").asLong() + "/" + resources.path("memoryMib").asLong() + "/" + resources.path("diskGib").asLong();
    }
}
