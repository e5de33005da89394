package io.freehold.controlplane.billing;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;

import io.freehold.controlplane.metering.LifecycleFact.Shape;
import io.freehold.controlplane.metering.LifecycleLog;
import io.freehold.controlplane.metering.UsageRollups;
import io.freehold.controlplane.testing.ApiTest;
import io.freehold.controlplane.testing.Fixtures;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

/**
 * Invoices through the API: a month of usage rated into a draft, month close making it FINAL and numbered, and
 * nothing — a late fact, a second close — changing it afterwards. Each test bills a month of its own, long over,
 * so that closing it closes nobody else's.
 */
class InvoiceApiTest extends ApiTest {

    private static final Shape LARGE = new Shape(2, 4096, 20);
    private static final Shape SMALL = new Shape(1, 1024, 10);

    @Autowired
    private LifecycleLog log;
    @Autowired
    private UsageRollups rollups;
    @Autowired
    private JdbcClient jdbc;
    @Autowired
    private TransactionTemplate transaction;

    private PastUsage usage;

    @BeforeEach
    void usage() {
        usage = new PastUsage(log, rollups, jdbc, transaction);
    }

    @Test
    void aMonthOfUsageIsRatedIntoADraftAndMonthCloseMakesItFinalNumberedAndUnchangedByLateUsageOrASecondClose() {
        String tenant = fixtures.tenant();
        String viewer = fixtures.principal(tenant, "tenant-viewer").token();
        pricedFrom(tenant, "2024-01-01T00:00:00Z", "10");
        String large = instanceId();
        String small = instanceId();
        usage.ran(tenant, large, LARGE, at("2024-03-10T10:00:00Z"), at("2024-03-10T12:30:00Z"));
        usage.ran(tenant, small, SMALL, at("2024-03-31T23:00:00Z"), at("2024-04-01T01:00:00Z"));
        usage.settle(List.of(large, small));

        JsonNode draft = api.get("/api/v1/invoices/2024-03", viewer).expect(200).json();

        // vCPU·s: 2 × 9000 + 1 × 3600 (April's hour is April's) = 21,600 × 0.001 = 21.60, less 10 % = 19.44; tax 19 % = 3.6936 → 3.69.
        // GiB·s: 4 × 9000 + 1 × 3600 = 39,600 × 0.0001 = 3.96, less 10 % = 3.564 → 3.56 (half-even); tax 0.6764 → 0.68.
        assertThat(draft.path("status").asString()).isEqualTo("DRAFT");
        assertThat(draft.has("number")).isFalse();
        JsonNode vcpu = line(draft, "vcpu.seconds");
        assertThat(vcpu.path("quantity").asString()).isEqualTo("21600");
        assertThat(vcpu.path("amount").asString()).isEqualTo("19.44");
        assertThat(vcpu.path("tax").asString()).isEqualTo("3.69");
        assertThat(resourceAmounts(vcpu)).containsExactlyInAnyOrderEntriesOf(Map.of(large, "16.20", small, "3.24"));
        assertThat(line(draft, "memory.gib.seconds").path("amount").asString()).isEqualTo("3.56");
        assertThat(line(draft, "disk.gib.seconds").path("description").asString()).contains("no price in force");
        assertThat(draft.path("subtotal").asString()).isEqualTo("23.00");
        assertThat(draft.path("tax").asString()).isEqualTo("4.37");
        assertThat(draft.path("total").asString()).isEqualTo("27.37");

        JsonNode report = api.post("/api/v1/ops/billing/month-close", adminToken(), Map.of("period", "2024-03")).expect(200).json();
        JsonNode closed = StreamSupport.stream(report.path("closed").spliterator(), false)
                .filter(entry -> entry.path("tenantId").asString().equals(tenant)).findFirst().orElseThrow();
        assertThat(closed.path("total").asString()).isEqualTo("27.37");

        JsonNode invoice = api.get("/api/v1/invoices/2024-03", viewer).expect(200).json();
        assertThat(invoice.path("status").asString()).isEqualTo("FINAL");
        assertThat(invoice.path("number").asString()).isEqualTo(closed.path("number").asString()).matches("INV-[0-9]{6}");
        assertThat(invoice.path("lines")).isEqualTo(draft.path("lines"));
        assertThat(invoice.path("total").asString()).isEqualTo("27.37");

        // A late start and stop in March, recorded now: March stays as it was; the difference lands on this month's draft.
        usage.ranAgain(tenant, large, LARGE, at("2024-03-20T00:00:00Z"), at("2024-03-20T01:00:00Z"));
        usage.settle(List.of(large));
        api.post("/api/v1/ops/billing/month-close", adminToken(), Map.of("period", "2024-03")).expect(200);
        assertThat(api.get("/api/v1/invoices/2024-03", viewer).expect(200).json()).isEqualTo(invoice);
        JsonNode current = api.get("/api/v1/invoices/" + YearMonth.now(ZoneOffset.UTC), viewer).expect(200).json();
        JsonNode adjustment = StreamSupport.stream(current.path("lines").spliterator(), false)
                .filter(line -> line.path("category").asString().equals("Adjustment") && line.path("meter").asString().equals("vcpu.seconds"))
                .findFirst().orElseThrow();
        // 2 vCPUs × 3600 s × 0.001 = 7.20, less 10 % = 6.48, priced as March's hour was.
        assertThat(adjustment.path("quantity").asString()).isEqualTo("7200");
        assertThat(adjustment.path("amount").asString()).isEqualTo("6.48");
    }

    @Test
    void theCsvSumsToTheTotalAndThePageShowsTheNumber() {
        String tenant = fixtures.tenant();
        String member = fixtures.principal(tenant, "tenant-member").token();
        pricedFrom(tenant, "2024-01-01T00:00:00Z", "0");
        String instance = instanceId();
        usage.ran(tenant, instance, LARGE, at("2024-05-02T08:00:00Z"), at("2024-05-02T08:20:00Z"));
        usage.settle(List.of(instance));
        api.post("/api/v1/ops/billing/month-close", adminToken(), Map.of("period", "2024-05")).expect(200);
        JsonNode invoice = api.get("/api/v1/invoices/2024-05", member).expect(200).json();

        String csv = api.send("GET", "/api/v1/invoices/2024-05", member, null, Map.of("Accept", "text/csv")).expect(200).body();
        List<String> rows = csv.lines().toList();
        assertThat(rows.get(0)).startsWith("BillingPeriodStart,BillingPeriodEnd,ChargePeriodStart,ChargePeriodEnd,BilledCost,BillingCurrency,"
                + "ResourceId,ResourceName,ConsumedQuantity,ConsumedUnit,ChargeCategory,ChargeDescription");
        BigDecimal billed = rows.stream().skip(1).map(row -> new BigDecimal(row.split(",")[4])).reduce(BigDecimal.ZERO, BigDecimal::add);
        assertThat(billed).isEqualByComparingTo(invoice.path("total").asString());
        assertThat(csv).contains(instance).contains(invoice.path("number").asString());

        String page = api.send("GET", "/api/v1/invoices/2024-05", member, null, Map.of("Accept", "text/html")).expect(200).body();
        assertThat(page).contains(invoice.path("number").asString()).contains(invoice.path("total").asString());
    }

    @Test
    void aCreditNoteIsANegativeTaxedLineOfTheCurrentDraft() {
        String tenant = fixtures.tenant();
        String admin = fixtures.principal(tenant, "tenant-admin").token();
        fixtures.pricesInForce(tenant);
        JsonNode note = api.post("/api/v1/ops/tenants/" + tenant + "/credit-notes", adminToken(),
                Map.of("amount", "5", "reason", "outage on 2026-11-03, SLA credit")).expect(201).json();
        assertThat(note.path("id").asString()).startsWith("cn-");

        JsonNode draft = api.get("/api/v1/invoices/" + YearMonth.now(ZoneOffset.UTC), admin).expect(200).json();

        JsonNode credit = line(draft, "");
        assertThat(credit.path("category").asString()).isEqualTo("Credit");
        assertThat(credit.path("amount").asString()).isEqualTo("-5.00");
        assertThat(credit.path("tax").asString()).isEqualTo("-0.95");
        assertThat(draft.path("total").asString()).isEqualTo("-5.95");
        assertThat(api.get("/api/v1/ops/tenants/" + tenant + "/credit-notes", adminToken()).expect(200).json().get(0).path("reason").asString())
                .isEqualTo("outage on 2026-11-03, SLA credit");
        api.post("/api/v1/ops/tenants/" + tenant + "/credit-notes", adminToken(), Map.of("amount", "0", "reason", "x"))
                .expectProblem(422, "validation-failed");
    }

    @Test
    void monthsWithoutChargesAheadOrMalformedAreAbsentAndOnlyEndedMonthsClose() {
        String tenant = fixtures.tenant();
        String viewer = fixtures.principal(tenant, "tenant-viewer").token();
        fixtures.pricesInForce(tenant);
        YearMonth now = YearMonth.now(ZoneOffset.UTC);

        JsonNode list = api.get("/api/v1/invoices", viewer).expect(200).json();
        assertThat(list.size()).isEqualTo(1);
        assertThat(list.get(0).path("period").asString()).isEqualTo(now.toString());
        assertThat(list.get(0).path("total").asString()).isEqualTo("0.00");
        api.get("/api/v1/invoices/2023-01", viewer).expectProblem(404, "not-found");
        api.get("/api/v1/invoices/" + now.plusMonths(1), viewer).expectProblem(404, "not-found");
        api.get("/api/v1/invoices/2024-13", viewer).expectProblem(404, "not-found");
        api.get("/api/v1/invoices/" + now, adminToken()).expectProblem(403, "forbidden");
        assertThat(api.get("/api/v1/ops/tenants/" + tenant + "/invoices/" + now, adminToken()).expect(200).json().path("status").asString())
                .isEqualTo("DRAFT");
        api.post("/api/v1/ops/billing/month-close", adminToken(), Map.of("period", now.toString())).expectProblem(422, "validation-failed");
        api.post("/api/v1/ops/billing/month-close", adminToken(), Map.of("period", "2024-13")).expectProblem(422, "validation-failed");
    }

    @Test
    void finalInvoiceNumbersHaveNoGaps() {
        assertThat(jdbc.sql("select coalesce(max(number), 0) - count(*) from invoice").query(Long.class).single()).isZero();
    }

    /** Puts the tenant on a new EUR list whose version 1 prices vCPUs and memory from {@code from}, 19 % tax. */
    private void pricedFrom(String tenant, String from, String discountPercent) {
        String list = fixtures.priceList();
        usage.version(list, 1, at(from), "0.19", Map.of("vcpu.seconds", "0.001", "memory.gib.seconds", "0.0001"));
        api.put("/api/v1/ops/tenants/" + tenant + "/pricing", adminToken(), Map.of("priceListId", list, "discountPercent", discountPercent))
                .expect(200);
    }

    private static JsonNode line(JsonNode invoice, String meter) {
        return StreamSupport.stream(invoice.path("lines").spliterator(), false).filter(line -> line.path("meter").asString().equals(meter))
                .findFirst().orElseThrow(() -> new AssertionError("no " + meter + " line in " + invoice));
    }

    private static Map<String, String> resourceAmounts(JsonNode line) {
        Map<String, String> amounts = new java.util.HashMap<>();
        line.path("resources").forEach(resource -> amounts.put(resource.path("resourceId").asString(), resource.path("amount").asString()));
        return amounts;
    }

    private static String instanceId() {
        return Fixtures.unique("i");
    }

    private static Instant at(String instant) {
        return Instant.parse(instant);
    }
}
