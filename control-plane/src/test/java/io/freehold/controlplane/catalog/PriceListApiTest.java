package io.freehold.controlplane.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;

import io.freehold.controlplane.billing.decision.PriceBook;
import io.freehold.controlplane.testing.ApiResponse;
import io.freehold.controlplane.testing.ApiTest;
import io.freehold.controlplane.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * Price lists: versions from an hour on that never change, one default list, each tenant's assignment and discount,
 * and the price book billing reads. Tests share the database (and its one default list), so each makes its own lists.
 */
class PriceListApiTest extends ApiTest {

    private static final String OPS = "/api/v1/ops/price-lists";

    @Autowired
    private PriceLists priceLists;
    @Autowired
    private JdbcClient jdbc;

    @Test
    void versionsPriceFromTheirHourOnAndATenantPaysTheDefaultUnlessAssignedAList() {
        String standard = createList("EUR", true);
        addVersion(standard, "2030-01-01T00:00:00Z", "0.19", Map.of("vcpu.seconds", "0.000010", "instance.seconds:2vcpu-4096mib-20gib", "0.0001"));
        JsonNode list = addVersion(standard, "2030-02-01T00:00:00Z", "0.2", Map.of("vcpu.seconds", "0.00002")).expect(201).json();
        String tenant = fixtures.tenant();

        assertThat(list.path("isDefault").asBoolean()).isTrue();
        assertThat(list.path("versions").valueStream().map(v -> v.path("version").asInt() + " " + v.path("effectiveFrom").asString() + " "
                + v.path("taxRate").asString() + " " + v.path("unitPrices").path("vcpu.seconds").asString()).toList())
                .containsExactly("1 2030-01-01T00:00:00Z 0.19 0.00001", "2 2030-02-01T00:00:00Z 0.2 0.00002");
        JsonNode pricing = api.get("/api/v1/ops/tenants/" + tenant + "/pricing", fixtures.principal(null, "ops-viewer").token()).expect(200).json();
        assertThat(pricing.path("priceListId").asString()).isEqualTo(standard);
        assertThat(pricing.path("assigned").asBoolean()).isFalse();

        PriceBook book = priceLists.bookFor(tenant).orElseThrow();
        assertThat(book.at(Instant.parse("2030-01-31T23:00:00Z")).orElseThrow().unitPrice("vcpu.seconds", "")).contains(new BigDecimal("0.00001"));
        assertThat(book.at(Instant.parse("2030-02-01T00:00:00Z")).orElseThrow().unitPrice("vcpu.seconds", "")).contains(new BigDecimal("0.00002"));
        assertThat(book.at(Instant.parse("2029-12-31T23:00:00Z"))).as("before the first version").isEmpty();
        assertThat(book.discountPercent()).isEqualByComparingTo("0");

        String special = createList("EUR", false);
        addVersion(special, "2030-01-01T00:00:00Z", "0.19", Map.of("vcpu.seconds", "0.000005")).expect(201);
        JsonNode assigned = api.put("/api/v1/ops/tenants/" + tenant + "/pricing", fixtures.adminToken(),
                Map.of("priceListId", special, "discountPercent", "12.5")).expect(200).json();
        assertThat(assigned.path("assigned").asBoolean()).isTrue();
        assertThat(assigned.path("discountPercent").asString()).isEqualTo("12.5");
        PriceBook assignedBook = priceLists.bookFor(tenant).orElseThrow();
        assertThat(assignedBook.versions()).extracting(version -> version.priceListId()).containsOnly(special);
        assertThat(assignedBook.discountPercent()).isEqualByComparingTo("12.5");
    }

    @Test
    void oneListIsTheDefaultAtATime() {
        String first = createList("EUR", true);
        String second = createList("EUR", true);

        assertThat(api.get(OPS + "/" + first, fixtures.adminToken()).expect(200).json().path("isDefault").asBoolean()).isFalse();
        assertThat(api.get(OPS + "/" + second, fixtures.adminToken()).expect(200).json().path("isDefault").asBoolean()).isTrue();
        api.patch(OPS + "/" + first, fixtures.adminToken(), Map.of("isDefault", true)).expect(200);
        assertThat(api.get(OPS + "/" + second, fixtures.adminToken()).expect(200).json().path("isDefault").asBoolean()).isFalse();
    }

    @Test
    void aVersionStartsOnTheHourNeitherInAnHourThatHasBegunNorBeforeTheLatestAndPricesRealMetersWithDecimals() {
        String list = createList("EUR", false);
        addVersion(list, "2030-01-01T00:00:00Z", "0.19", Map.of("vcpu.seconds", "0.00001")).expect(201);
        Instant thisHour = Instant.now().truncatedTo(ChronoUnit.HOURS);

        assertThat(field(addVersion(list, "2030-03-01T00:30:00Z", "0.19", Map.of("vcpu.seconds", "1")), "effectiveFrom"))
                .startsWith("must be on the hour");
        assertThat(field(addVersion(list, thisHour.minus(1, ChronoUnit.HOURS).toString(), "0.19", Map.of("vcpu.seconds", "1")), "effectiveFrom"))
                .startsWith("must not be before the current hour");
        assertThat(field(addVersion(list, "2030-01-01T00:00:00Z", "0.19", Map.of("vcpu.seconds", "1")), "effectiveFrom"))
                .isEqualTo("must be after the latest version's, 2030-01-01T00:00:00Z");
        assertThat(field(addVersion(list, "2030-03-01T00:00:00Z", "0.19", Map.of("gpu.seconds", "1")), "unitPrices.gpu.seconds"))
                .startsWith("names no meter");
        assertThat(field(addVersion(list, "2030-03-01T00:00:00Z", "0.19", Map.of("vcpu.seconds", "-1")), "unitPrices.vcpu.seconds"))
                .startsWith("must be a non-negative decimal");
        assertThat(field(addVersion(list, "2030-03-01T00:00:00Z", "19", Map.of("vcpu.seconds", "1")), "taxRate"))
                .startsWith("must be a fraction below 1");
        assertThat(api.get(OPS + "/" + list, fixtures.adminToken()).expect(200).json().path("versions").size())
                .as("nothing of the refused versions written").isEqualTo(1);
        assertThatThrownBy(() -> jdbc.sql("update price_list_unit_price set unit_price = 0 where price_list_id = :l").param("l", list).update())
                .as("the database refuses to change a version too").hasMessageContaining("never change");
    }

    @Test
    void aTenantIsAssignedOnlyAListThatExistsAndAnUnknownTenantIsNotFound() {
        String tenant = fixtures.tenant();
        assertThat(field(api.put("/api/v1/ops/tenants/" + tenant + "/pricing", fixtures.adminToken(), Map.of("priceListId", "pl-nothing")),
                "priceListId")).isEqualTo("names no price list");
        assertThat(field(api.put("/api/v1/ops/tenants/" + tenant + "/pricing", fixtures.adminToken(),
                Map.of("priceListId", createList("EUR", false), "discountPercent", "101")), "discountPercent")).startsWith("must be 0 to 100");
        api.get("/api/v1/ops/tenants/t-00000000000000000000000000/pricing", fixtures.adminToken()).expectProblem(404, "not-found");
        api.post(OPS, fixtures.adminToken(), Map.of("name", Fixtures.unique("prices"), "currency", "euro")).expectProblem(422, "validation-failed");
    }

    private String createList(String currency, boolean isDefault) {
        return api.post(OPS, fixtures.adminToken(), Map.of("name", Fixtures.unique("prices"), "currency", currency, "isDefault", isDefault))
                .expect(201).text("id");
    }

    private ApiResponse addVersion(String list, String from, String taxRate, Map<String, String> prices) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("effectiveFrom", from);
        body.put("taxRate", taxRate);
        body.put("unitPrices", prices);
        return api.post(OPS + "/" + list + "/versions", fixtures.adminToken(), body);
    }

    /** The message of the one field error of a 422 problem. */
    private static String field(ApiResponse response, String field) {
        JsonNode problem = response.expectProblem(422, "validation-failed").json();
        assertThat(problem.path("errors").valueStream().map(error -> error.path("field").asString()).toList()).containsExactly(field);
        return problem.path("errors").get(0).path("message").asString();
    }
}
