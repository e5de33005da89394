package io.freehold.controlplane.billing;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;

import io.freehold.controlplane.billing.decision.BillingPeriod;
import io.freehold.controlplane.testing.ApiTest;
import io.freehold.controlplane.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * {@code GET /api/v1/billing/cost}: the month so far is the draft invoice's subtotal, the hourly rate what the tenant's
 * live instances cost an hour as the estimate prices them, and the forecast the one extended by the other.
 */
class CostApiTest extends ApiTest {

    private static final String COST = "/api/v1/billing/cost";

    @Autowired
    private Invoicing invoicing;
    @Autowired
    private JdbcClient jdbc;
    @Autowired
    private Clock clock;

    @Test
    void theMonthSoFarIsTheDraftsSubtotalTheRateTheInstancesEstimatesAndTheForecastOneExtendedByTheOther() {
        String tenant = fixtures.tenant();
        String member = fixtures.principal(tenant, "tenant-member").token();
        String viewer = fixtures.principal(tenant, "tenant-viewer").token();
        String list = fixtures.priceList();
        api.post("/api/v1/ops/price-lists/" + list + "/versions", fixtures.adminToken(), Map.of("effectiveFrom",
                clock.instant().truncatedTo(ChronoUnit.HOURS).toString(), "taxRate", "0.19", "unitPrices", Map.of(
                        "instance.seconds:1vcpu-1024mib-10gib", "0.0001", "vcpu.seconds", "0.00001", "memory.gib.seconds", "0.000002",
                        "disk.gib.seconds", "0.0000001"))).expect(201);
        api.put("/api/v1/ops/tenants/" + tenant + "/pricing", fixtures.adminToken(), Map.of("priceListId", list, "discountPercent", "25"))
                .expect(200);
        String small = fixtures.flavor();
        String large = api.post("/api/v1/ops/flavors", fixtures.adminToken(), Map.of("name", Fixtures.unique("m"), "vcpus", 2,
                "memoryMib", 4096, "rootDiskGib", 20)).expect(201).text("id");
        create(member, small);
        String stopped = create(member, large);
        api.post("/api/v1/instances/" + stopped + "/stop", member, null).expect(202);
        api.delete("/api/v1/instances/" + create(member, large), member).expect(202);
        // 100,000 vCPU·s: 1.00, 25 % off 0.75, tax 0.1425 → 0.14; 1,000,000 GiB·s of disk: 0.10, 25 % off 0.075 → 0.08, tax 0.0152 → 0.02
        spend(tenant, "vcpu.seconds", 100_000);
        spend(tenant, "disk.gib.seconds", 1_000_000);

        JsonNode cost = api.get(COST, viewer).expect(200).json();

        Instant asOf = Instant.parse(cost.path("asOf").asString());
        assertThat(cost.path("period").asString()).isEqualTo(YearMonth.from(asOf.atOffset(ZoneOffset.UTC)).toString());
        assertThat(cost.path("currency").asString()).isEqualTo("EUR");
        assertThat(cost.path("monthToDate").asString()).isEqualTo("0.83");
        assertThat(cost.path("monthToDateTax").asString()).isEqualTo("0.16");
        assertThat(new BigDecimal(cost.path("monthToDate").asString()))
                .isEqualByComparingTo(invoicing.draft(tenant, BillingPeriod.of(asOf), asOf).subtotal());

        // small running: 3600 × (0.0001 + 0.00001 + 0.000002 + 10 × 0.0000001) = 0.4068; large stopped: 3600 × 20 × 0.0000001 = 0.0072;
        // 25 % off both; the deleted one costs nothing
        assertThat(cost.path("hourlyRate").asString()).isEqualTo("0.3105");
        BigDecimal estimated = new BigDecimal(estimate(member, small).path("perHourRunning").asString())
                .add(new BigDecimal(estimate(member, large).path("perHourStopped").asString()));
        assertThat(new BigDecimal(cost.path("hourlyRate").asString())).isEqualByComparingTo(estimated);

        long secondsLeft = Duration.between(asOf, BillingPeriod.of(asOf).end()).toSeconds();
        BigDecimal forecast = new BigDecimal("0.83").add(new BigDecimal("0.3105").multiply(BigDecimal.valueOf(secondsLeft))
                .divide(BigDecimal.valueOf(3600), MathContext.DECIMAL128)).setScale(2, RoundingMode.HALF_EVEN);
        assertThat(cost.path("forecastMonthEnd").asString()).isEqualTo(forecast.toPlainString());
        assertThat(cost.has("budget")).as("no budget").isFalse();
    }

    @Test
    void aTenantWithNothingSpentAndNothingRunningIsForecastNothing() {
        String tenant = fixtures.tenant();
        fixtures.pricesInForce(tenant);

        JsonNode cost = api.get(COST, fixtures.principal(tenant, "tenant-admin").token()).expect(200).json();

        assertThat(cost.path("monthToDate").asString()).isEqualTo("0.00");
        assertThat(cost.path("monthToDateTax").asString()).isEqualTo("0.00");
        assertThat(cost.path("hourlyRate").asString()).isEqualTo("0");
        assertThat(cost.path("forecastMonthEnd").asString()).isEqualTo("0.00");
    }

    @Test
    void withoutPricesInForceTheCostIsAConflictAndOperatorsBelongToNoTenant() {
        String tenant = fixtures.tenant();
        String future = fixtures.priceList();
        api.post("/api/v1/ops/price-lists/" + future + "/versions", fixtures.adminToken(), Map.of("effectiveFrom", "2031-01-01T00:00:00Z",
                "taxRate", "0", "unitPrices", Map.of("vcpu.seconds", "1"))).expect(201);
        api.put("/api/v1/ops/tenants/" + tenant + "/pricing", fixtures.adminToken(), Map.of("priceListId", future)).expect(200);

        assertThat(api.get(COST, fixtures.principal(tenant, "tenant-viewer").token()).expectProblem(409, "conflict").text("detail"))
                .isEqualTo("no price list is in force for your tenant yet; ask your operator");
        api.get(COST, fixtures.adminToken()).expectProblem(403, "forbidden");
    }

    private String create(String token, String flavorId) {
        return api.post("/api/v1/instances", token, Map.of("name", Fixtures.unique("vm"), "flavorId", flavorId, "imageRef", fixtures.bootImage()))
                .expect(202).text("id");
    }

    private JsonNode estimate(String token, String flavorId) {
        return api.post("/api/v1/billing/estimate", token, Map.of("flavorId", flavorId)).expect(200).json();
    }

    /**
     * Usage in the current month without running anything: an hourly rollup row of the current hour, as metering's
     * recompute writes it (these tests start no agent). Its resource has no lifecycle facts, so no recompute touches it.
     */
    private void spend(String tenant, String meter, long quantity) {
        Instant hour = clock.instant().truncatedTo(ChronoUnit.HOURS);
        jdbc.sql("""
                        insert into usage_hourly (tenant_id, resource_id, meter, hour, quantity, computed_at)
                        values (:tenant, :resource, :meter, :hour, :quantity, :hour)
                        """)
                .param("tenant", tenant).param("resource", "i-" + UUID.randomUUID()).param("meter", meter)
                .param("hour", hour.atOffset(ZoneOffset.UTC)).param("quantity", quantity).update();
    }
}
