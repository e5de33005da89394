package io.freehold.controlplane.billing;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;

import io.freehold.controlplane.testing.ApiTest;
import io.freehold.controlplane.testing.Fixtures;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** {@code POST /api/v1/billing/estimate}: a tenant prices an instance before creating it, at its own prices. */
class EstimateApiTest extends ApiTest {

    private static final String ESTIMATE = "/api/v1/billing/estimate";

    @Test
    void aTenantSeesWhatAnInstanceOfAFlavorCostsAnHourRunningStoppedAndForTheMonthAfterItsDiscount() {
        String tenant = fixtures.tenant();
        String member = fixtures.principal(tenant, "tenant-viewer").token();
        String flavor = api.post("/api/v1/ops/flavors", fixtures.adminToken(), Map.of("name", Fixtures.unique("m"), "vcpus", 2,
                "memoryMib", 4096, "rootDiskGib", 20)).expect(201).text("id");
        String list = pricesInForce(Map.of("instance.seconds:2vcpu-4096mib-20gib", "0.0001", "vcpu.seconds", "0.00001",
                "memory.gib.seconds", "0.000002", "disk.gib.seconds", "0.0000001"));
        api.put("/api/v1/ops/tenants/" + tenant + "/pricing", fixtures.adminToken(), Map.of("priceListId", list, "discountPercent", "25"))
                .expect(200);

        JsonNode estimate = api.post(ESTIMATE, member, Map.of("flavorId", flavor, "imageRef", fixtures.bootImage())).expect(200).json();

        // 3600 × (0.0001 + 2 × 0.00001 + 4 × 0.000002 + 20 × 0.0000001) = 0.468, less 25 %
        assertThat(estimate.path("perHourRunning").asString()).isEqualTo("0.351");
        assertThat(estimate.path("perHourStopped").asString()).as("the disk alone").isEqualTo("0.0054");
        long hours = estimate.path("monthHours").asLong();
        assertThat(hours).isBetween(672L, 744L);
        assertThat(new BigDecimal(estimate.path("perMonthRunning").asString()))
                .isEqualByComparingTo(new BigDecimal("0.351").multiply(BigDecimal.valueOf(hours)));
        assertThat(estimate.path("currency").asString()).isEqualTo("EUR");
        assertThat(estimate.path("priceListId").asString()).isEqualTo(list);
        assertThat(estimate.path("discountPercent").asString()).isEqualTo("25");
        assertThat(estimate.path("unpricedMeters").isEmpty()).isTrue();
        assertThat(estimate.path("imageId").asString()).startsWith("img-");
    }

    @Test
    void aFlavorOrImageTheTenantMayNotUseIsRefusedOnItsFieldAndWithoutPricesInForceTheAnswerSaysSo() {
        String tenant = fixtures.tenant();
        String member = fixtures.principal(tenant, "tenant-member").token();
        String foreignFlavor = fixtures.limitedFlavor(fixtures.tenant());
        String flavor = fixtures.flavor();

        assertThat(api.post(ESTIMATE, member, Map.of("flavorId", foreignFlavor)).expectProblem(422, "validation-failed").text("detail"))
                .contains("flavorId");
        assertThat(api.post(ESTIMATE, member, Map.of("flavorId", flavor, "imageRef", "no-such-image")).expectProblem(422, "validation-failed")
                .text("detail")).contains("imageRef");
        String future = fixtures.priceList();
        api.post("/api/v1/ops/price-lists/" + future + "/versions", fixtures.adminToken(), Map.of("effectiveFrom", "2031-01-01T00:00:00Z",
                "taxRate", "0", "unitPrices", Map.of("vcpu.seconds", "1"))).expect(201);
        api.put("/api/v1/ops/tenants/" + tenant + "/pricing", fixtures.adminToken(), Map.of("priceListId", future)).expect(200);
        assertThat(api.post(ESTIMATE, member, Map.of("flavorId", flavor)).expectProblem(409, "conflict").text("detail"))
                .contains("no price list is in force");
        api.post(ESTIMATE, fixtures.adminToken(), Map.of("flavorId", flavor)).expectProblem(403, "forbidden");
    }

    /** A new price list with one version in force from the current hour; returns its id. */
    private String pricesInForce(Map<String, String> unitPrices) {
        String list = fixtures.priceList();
        api.post("/api/v1/ops/price-lists/" + list + "/versions", fixtures.adminToken(), Map.of("effectiveFrom",
                Instant.now().truncatedTo(ChronoUnit.HOURS).toString(), "taxRate", "0.19", "unitPrices", unitPrices)).expect(201);
        return list;
    }
}
