package io.freehold.controlplane.billing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.freehold.controlplane.testing.ApiTest;
import io.freehold.controlplane.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.quartz.CronTrigger;
import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.quartz.TriggerKey;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * {@code /api/v1/billing/budget}: a tenant admin sets the month's budget; each threshold reached is recorded once a
 * month with one audit event; a tenant that opted in gets no new instance once the month's spend reaches the amount.
 */
class BudgetApiTest extends ApiTest {

    private static final String BUDGET = "/api/v1/billing/budget";

    @Autowired
    private BudgetWatch watch;
    @Autowired
    private JdbcClient jdbc;
    @Autowired
    private Clock clock;
    @Autowired
    private Scheduler scheduler;

    @Test
    void aTenantAdminSetsTheBudgetEveryTenantRoleReadsItAndOnlyATenantAdminChangesIt() {
        String tenant = tenantPaying("EUR", "0.0001");
        String admin = fixtures.principal(tenant, "tenant-admin").token();
        String member = fixtures.principal(tenant, "tenant-member").token();
        String viewer = fixtures.principal(tenant, "tenant-viewer").token();

        api.get(BUDGET, viewer).expectProblem(404, "not-found");
        JsonNode set = api.put(BUDGET, admin, Map.of("amount", "100", "thresholdsPercent", List.of(100, 50), "refuseCreatesWhenSpent", true))
                .expect(200).json();
        assertThat(set.path("amount").asString()).as("at the currency's scale").isEqualTo("100.00");
        assertThat(set.path("currency").asString()).isEqualTo("EUR");
        assertThat(set.path("thresholdsPercent").valueStream().map(JsonNode::asInt)).as("ascending").containsExactly(50, 100);
        assertThat(set.path("refuseCreatesWhenSpent").asBoolean()).isTrue();
        assertThat(api.get(BUDGET, viewer).expect(200).json()).isEqualTo(set);

        JsonNode defaults = api.put(BUDGET, admin, Map.of("amount", "25.5")).expect(200).json();
        assertThat(defaults.path("amount").asString()).isEqualTo("25.50");
        assertThat(defaults.path("thresholdsPercent").valueStream().map(JsonNode::asInt)).containsExactly(50, 80, 100);
        assertThat(defaults.path("refuseCreatesWhenSpent").asBoolean()).isFalse();

        api.put(BUDGET, member, Map.of("amount", "1000")).expectProblem(403, "forbidden");
        api.put(BUDGET, viewer, Map.of("amount", "1000")).expectProblem(403, "forbidden");
        api.delete(BUDGET, member).expectProblem(403, "forbidden");
        api.put(BUDGET, fixtures.adminToken(), Map.of("amount", "1000")).expectProblem(403, "forbidden");
        api.get(BUDGET, fixtures.adminToken()).expectProblem(403, "forbidden");
        assertThat(api.get(BUDGET, member).expect(200).json().path("amount").asString()).as("unchanged by the refusals").isEqualTo("25.50");

        api.delete(BUDGET, admin).expect(204);
        api.get(BUDGET, member).expectProblem(404, "not-found");
        api.delete(BUDGET, admin).expect(204);
        JsonNode audited = api.get("/api/v1/audit-events?action=budget.set", admin).expect(200).json().path("items");
        assertThat(audited.valueStream().map(event -> event.path("details").path("amount").asString())).containsExactly("100.00", "25.50");
        assertThat(api.get("/api/v1/audit-events?action=budget.delete", admin).expect(200).json().path("items").valueStream()
                .map(event -> event.path("details").path("removed").asBoolean())).containsExactly(true, false);
    }

    @Test
    void aBudgetThatBreaksARuleIsRefusedOnItsFieldAndATenantWithoutPricesCannotSetOne() {
        String admin = fixtures.principal(tenantPaying("EUR", "0.0001"), "tenant-admin").token();

        assertThat(invalidFields(admin, Map.of("amount", "0"))).containsExactly("amount");
        assertThat(api.put(BUDGET, admin, Map.of("amount", "10.001")).expectProblem(422, "validation-failed").text("detail"))
                .isEqualTo("amount: must have at most 2 decimal places in EUR");
        assertThat(invalidFields(admin, Map.of("amount", "ten"))).containsExactly("amount");
        assertThat(invalidFields(admin, Map.of("thresholdsPercent", List.of(50)))).containsExactly("amount");
        assertThat(invalidFields(admin, Map.of("amount", "10", "thresholdsPercent", List.of()))).containsExactly("thresholdsPercent");
        assertThat(invalidFields(admin, Map.of("amount", "10", "thresholdsPercent", List.of(0, 50, 1001))))
                .containsExactly("thresholdsPercent[0]", "thresholdsPercent[2]");
        assertThat(invalidFields(admin, Map.of("amount", "10", "thresholdsPercent", List.of(80, 50, 80)))).containsExactly("thresholdsPercent[2]");
        api.get(BUDGET, admin).expectProblem(404, "not-found");

        String unpriced = fixtures.tenant();
        api.put("/api/v1/ops/tenants/" + unpriced + "/pricing", fixtures.adminToken(), Map.of("priceListId", fixtures.priceList())).expect(200);
        assertThat(api.put(BUDGET, fixtures.principal(unpriced, "tenant-admin").token(), Map.of("amount", "10"))
                .expectProblem(409, "conflict").text("detail")).contains("no price list");
    }

    @Test
    void eachThresholdReachedIsRecordedOnceAMonthWithOneAuditEventHoweverOftenTheWatchRuns() {
        String tenant = tenantPaying("EUR", "0.0001");
        String admin = fixtures.principal(tenant, "tenant-admin").token();
        api.put(BUDGET, admin, Map.of("amount", "10.00")).expect(200);
        // 85,000 vCPU·s at 0.0001 = 8.50 of 10.00: past 50 % and 80 %, short of 100 %
        spend(tenant, 85_000);

        assertThat(watch.checkAll().getOrDefault(tenant, List.of())).as("recorded by this pass, unless the Quartz job's ran first")
                .isSubsetOf(50, 80);
        assertThat(watch.checkAll()).as("nothing left to record").doesNotContainKey(tenant);

        // Both written in one transaction, in one millisecond: the log's order between them is its ids', not the thresholds'.
        List<JsonNode> events = api.get("/api/v1/audit-events?action=budget.threshold-reached", admin).expect(200).json().path("items")
                .valueStream().sorted(Comparator.comparingInt(event -> event.path("details").path("thresholdPercent").asInt())).toList();
        assertThat(events).extracting(event -> event.path("details").path("thresholdPercent").asInt()).containsExactly(50, 80);
        JsonNode first = events.get(0);
        assertThat(first.path("tenantId").asString()).isEqualTo(tenant);
        assertThat(first.path("actorId").asString()).isEqualTo("system");
        assertThat(first.path("details").path("month").asString()).isEqualTo(YearMonth.from(clock.instant().atOffset(ZoneOffset.UTC)).toString());
        assertThat(first.path("details").path("spent").asString()).isEqualTo("8.50");
        assertThat(first.path("details").path("amount").asString()).isEqualTo("10.00");
        assertThat(first.path("details").path("currency").asString()).isEqualTo("EUR");

        JsonNode standing = api.get("/api/v1/billing/cost", admin).expect(200).json().path("budget");
        assertThat(standing.path("reachedThresholdsPercent").valueStream().map(JsonNode::asInt)).containsExactly(50, 80);
        assertThat(standing.path("percentSpent").asString()).isEqualTo("85.0");
        assertThat(standing.path("refusingCreates").asBoolean()).as("not opted in").isFalse();
    }

    @Test
    void theWatchRunsEveryFiveMinutesAsAClusteredQuartzJob() throws Exception {
        String tenant = tenantPaying("EUR", "0.0001");
        String admin = fixtures.principal(tenant, "tenant-admin").token();
        api.put(BUDGET, admin, Map.of("amount", "1.00", "thresholdsPercent", List.of(100))).expect(200);
        spend(tenant, 10_000);

        CronTrigger trigger = (CronTrigger) scheduler.getTrigger(TriggerKey.triggerKey(BillingJobs.BUDGET_WATCH, BillingJobs.GROUP));
        assertThat(trigger.getCronExpression()).isEqualTo("0 */5 * * * ?");
        assertThat(trigger.getMisfireInstruction()).isEqualTo(CronTrigger.MISFIRE_INSTRUCTION_DO_NOTHING);
        scheduler.triggerJob(JobKey.jobKey(BillingJobs.BUDGET_WATCH, BillingJobs.GROUP));

        Instant deadline = Instant.now().plusSeconds(20);
        while (thresholdEvents(admin).isEmpty() && Instant.now().isBefore(deadline)) {
            Thread.sleep(100);
        }
        assertThat(thresholdEvents(admin)).as("the job ran on a Quartz thread and recorded 100 %").containsExactly(100);
    }

    @Test
    void settingABudgetBelowWhatIsSpentRecordsTheThresholdsAtOnce() {
        String tenant = tenantPaying("EUR", "0.0001");
        String admin = fixtures.principal(tenant, "tenant-admin").token();
        spend(tenant, 30_000);

        api.put(BUDGET, admin, Map.of("amount", "5.00", "thresholdsPercent", List.of(50, 60, 100))).expect(200);

        // 3.00 of 5.00 is 60 %
        assertThat(thresholdEvents(admin)).containsExactly(50, 60);
    }

    @Test
    void aTenantThatOptedInGetsNoNewInstanceOnceItsMonthIsSpentAndOneThatDidNotDoes() {
        String tenant = tenantPaying("EUR", "0.0001");
        String admin = fixtures.principal(tenant, "tenant-admin").token();
        String member = fixtures.principal(tenant, "tenant-member").token();
        Map<String, Object> instance = Map.of("name", Fixtures.unique("vm"), "flavorId", fixtures.flavor(), "imageRef", fixtures.bootImage());
        // 101,200 vCPU·s at 0.0001 = 10.12
        spend(tenant, 101_200);
        api.put(BUDGET, admin, Map.of("amount", "10.00", "refuseCreatesWhenSpent", true)).expect(200);

        assertThat(api.post("/api/v1/instances", member, instance).expectProblem(409, "budget-exhausted").text("detail"))
                .isEqualTo("the monthly budget of 10.00 EUR is spent: 10.12 EUR this month before tax; "
                        + "a tenant admin can raise it at PUT /api/v1/billing/budget");
        assertThat(api.get("/api/v1/instances", member).expect(200).json().path("items")).as("nothing was created").isEmpty();
        assertThat(api.get("/api/v1/billing/cost", member).expect(200).json().path("budget").path("refusingCreates").asBoolean()).isTrue();

        api.put(BUDGET, admin, Map.of("amount", "10.12", "refuseCreatesWhenSpent", false)).expect(200);
        api.post("/api/v1/instances", member, instance).expect(202);
        // Opted in again, but 10.12 is one cent short of the amount.
        api.put(BUDGET, admin, Map.of("amount", "10.13", "refuseCreatesWhenSpent", true)).expect(200);
        api.post("/api/v1/instances", member, Map.of("name", Fixtures.unique("vm"), "flavorId", instance.get("flavorId"),
                "imageRef", Fixtures.BOOT_IMAGE)).expect(202);
    }

    @Test
    void aBudgetInAnotherCurrencyThanTheTenantNowPaysInNoLongerApplies() {
        String tenant = tenantPaying("EUR", "0.0001");
        String admin = fixtures.principal(tenant, "tenant-admin").token();
        api.put(BUDGET, admin, Map.of("amount", "1.00", "refuseCreatesWhenSpent", true)).expect(200);
        String dollars = pricesInForce("USD", "0.0001");
        api.put("/api/v1/ops/tenants/" + tenant + "/pricing", fixtures.adminToken(), Map.of("priceListId", dollars)).expect(200);
        spend(tenant, 20_000);

        assertThat(watch.checkAll()).doesNotContainKey(tenant);
        assertThat(api.get("/api/v1/billing/cost", admin).expect(200).json().has("budget")).isFalse();
        api.post("/api/v1/instances", admin, Map.of("name", Fixtures.unique("vm"), "flavorId", fixtures.flavor(), "imageRef", fixtures.bootImage()))
                .expect(202);
        assertThat(api.get(BUDGET, admin).expect(200).json().path("currency").asString()).as("kept as it was set").isEqualTo("EUR");
    }

    /** The thresholds of the caller's tenant's budget.threshold-reached events, oldest first. */
    /** The thresholds audited, lowest first: one pass writes its events in one millisecond, in no order of theirs. */
    private List<Integer> thresholdEvents(String token) {
        return api.get("/api/v1/audit-events?action=budget.threshold-reached", token).expect(200).json().path("items").valueStream()
                .map(event -> event.path("details").path("thresholdPercent").asInt()).sorted().toList();
    }

    /** The fields a 422 names. */
    private List<String> invalidFields(String token, Map<String, Object> body) {
        return api.put(BUDGET, token, body).expectProblem(422, "validation-failed").json().path("errors").valueStream()
                .map(error -> error.path("field").asString()).toList();
    }

    /** A new tenant paying by a new list in {@code currency} that prices vCPU seconds alone, from the current hour; returns its id. */
    private String tenantPaying(String currency, String vcpuSecondPrice) {
        String tenant = fixtures.tenant();
        api.put("/api/v1/ops/tenants/" + tenant + "/pricing", fixtures.adminToken(), Map.of("priceListId", pricesInForce(currency, vcpuSecondPrice)))
                .expect(200);
        return tenant;
    }

    private String pricesInForce(String currency, String vcpuSecondPrice) {
        String list = api.post("/api/v1/ops/price-lists", fixtures.adminToken(), Map.of("name", Fixtures.unique("prices"), "currency", currency))
                .expect(201).text("id");
        api.post("/api/v1/ops/price-lists/" + list + "/versions", fixtures.adminToken(), Map.of("effectiveFrom",
                clock.instant().truncatedTo(ChronoUnit.HOURS).toString(), "taxRate", "0.19", "unitPrices", Map.of("vcpu.seconds", vcpuSecondPrice)))
                .expect(201);
        return list;
    }

    /**
     * Spend in the current month without running anything: an hourly rollup row of the current hour, as metering's
     * recompute writes it (these tests start no agent). Its resource has no lifecycle facts, so no recompute touches it.
     */
    private void spend(String tenant, long vcpuSeconds) {
        Instant hour = clock.instant().truncatedTo(ChronoUnit.HOURS);
        jdbc.sql("""
                        insert into usage_hourly (tenant_id, resource_id, meter, hour, quantity, computed_at)
                        values (:tenant, :resource, 'vcpu.seconds', :hour, :quantity, :hour)
                        """)
                .param("tenant", tenant).param("resource", "i-" + UUID.randomUUID()).param("hour", hour.atOffset(ZoneOffset.UTC))
                .param("quantity", vcpuSeconds).update();
    }
}
