package io.freehold.controlplane.metering;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import io.freehold.controlplane.metering.LifecycleFact.Shape;
import io.freehold.controlplane.testing.ApiResponse;
import io.freehold.controlplane.testing.ApiTest;
import io.freehold.controlplane.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The usage API on real PostgreSQL, over rollups made the real way (lifecycle facts, then a recompute): exact
 * quantities per hour, day and month across day and month boundaries, memory in GiB·s, instance seconds split by
 * flavor, adjustments on closed hours counted in, tenants isolated, every bad parameter named, and CSV byte for byte.
 * Every instance here ends with a delete, so its usage is final whatever recomputes it later.
 */
class UsageApiTest extends ApiTest {

    private static final String OWN = "/api/v1/usage";
    private static final String OPS = "/api/v1/ops/usage";
    /** Reads quantities as the exact decimals they were sent as, never through a double. */
    private static final JsonMapper EXACT = JsonMapper.builder().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).build();
    private static final Shape SMALL = new Shape(1, 512, 10);
    private static final Shape LARGE = new Shape(2, 1024, 10);

    @Autowired
    private LifecycleLog log;
    @Autowired
    private UsageRollups rollups;
    @Autowired
    private JdbcClient jdbc;
    @Autowired
    private PlatformTransactionManager transactions;

    private final String host = "h-" + UUID.randomUUID();
    private final String incarnation = UUID.randomUUID().toString();
    private long seq;

    /** Each row: the query after the tenant's own range, and the items it must answer, in order. */
    @Test
    void hoursDaysAndMonthsAreExactAcrossADayAndAMonthBoundary() {
        String tenant = fixtures.tenant();
        String viewer = fixtures.principal(tenant, "tenant-viewer").token();
        String instance = instance();
        // Runs from 22:30 on the last day of March to 01:15 on the first of April: 9,900 s, 5,400 of them in March.
        fact(tenant, instance, LifecycleEventKind.PROVISIONED, "2026-03-31T22:30:00Z", SMALL);
        fact(tenant, instance, LifecycleEventKind.STARTED, "2026-03-31T22:30:00Z", SMALL);
        fact(tenant, instance, LifecycleEventKind.STOPPED, "2026-04-01T01:15:00Z", SMALL);
        fact(tenant, instance, LifecycleEventKind.DELETED, "2026-04-01T01:30:00Z", SMALL);
        rollups.recompute(instance, at("2026-04-01T03:00:00Z"));

        Map<String, List<String>> cases = Map.of(
                "from=2026-03-31T00:00:00Z&to=2026-04-02T00:00:00Z&granularity=hour&meter=instance.seconds", List.of(
                        "2026-03-31T22:00:00Z 2026-03-31T23:00:00Z instance.seconds:1vcpu-512mib-10gib 1800 s",
                        "2026-03-31T23:00:00Z 2026-04-01T00:00:00Z instance.seconds:1vcpu-512mib-10gib 3600 s",
                        "2026-04-01T00:00:00Z 2026-04-01T01:00:00Z instance.seconds:1vcpu-512mib-10gib 3600 s",
                        "2026-04-01T01:00:00Z 2026-04-01T02:00:00Z instance.seconds:1vcpu-512mib-10gib 900 s"),
                "from=2026-03-31T00:00:00Z&to=2026-04-02T00:00:00Z&meter=memory.gib.seconds", List.of(
                        "2026-03-31T00:00:00Z 2026-04-01T00:00:00Z memory.gib.seconds 2700 GiB·s",
                        "2026-04-01T00:00:00Z 2026-04-02T00:00:00Z memory.gib.seconds 2250 GiB·s"),
                "from=2026-03-01T00:00:00Z&to=2026-05-01T00:00:00Z&granularity=month&meter=vcpu.seconds", List.of(
                        "2026-03-01T00:00:00Z 2026-04-01T00:00:00Z vcpu.seconds 5400 vCPU·s",
                        "2026-04-01T00:00:00Z 2026-05-01T00:00:00Z vcpu.seconds 4500 vCPU·s"),
                // Disk counts from provisioned to deleted, running or not.
                "from=2026-03-01T00:00:00Z&to=2026-05-01T00:00:00Z&granularity=month&meter=disk.gib.seconds", List.of(
                        "2026-03-01T00:00:00Z 2026-04-01T00:00:00Z disk.gib.seconds 54000 GiB·s",
                        "2026-04-01T00:00:00Z 2026-05-01T00:00:00Z disk.gib.seconds 54000 GiB·s"),
                // Periods partly outside the range hold only the hours inside, and are clipped to say so.
                "from=2026-03-31T23:00:00Z&to=2026-04-01T01:00:00Z&granularity=month&meter=instance.seconds", List.of(
                        "2026-03-31T23:00:00Z 2026-04-01T00:00:00Z instance.seconds:1vcpu-512mib-10gib 3600 s",
                        "2026-04-01T00:00:00Z 2026-04-01T01:00:00Z instance.seconds:1vcpu-512mib-10gib 3600 s"),
                // Only periods with usage appear: no zero-filled hours before the start or after the delete.
                "from=2026-04-01T01:00:00Z&to=2026-04-01T05:00:00Z&granularity=hour", List.of(
                        "2026-04-01T01:00:00Z 2026-04-01T02:00:00Z disk.gib.seconds 18000 GiB·s",
                        "2026-04-01T01:00:00Z 2026-04-01T02:00:00Z instance.seconds:1vcpu-512mib-10gib 900 s",
                        "2026-04-01T01:00:00Z 2026-04-01T02:00:00Z memory.gib.seconds 450 GiB·s",
                        "2026-04-01T01:00:00Z 2026-04-01T02:00:00Z vcpu.seconds 900 vCPU·s"),
                "from=2026-04-01T02:00:00Z&to=2026-04-02T00:00:00Z", List.of());

        cases.forEach((query, expected) -> {
            JsonNode report = exact(api.get(OWN + "?" + query, viewer).expect(200));
            assertThat(lines(report.path("items"))).as(query).containsExactlyElementsOf(expected);
            assertThat(lines(report.path("totals"))).as("one resource: totals are its items, " + query).containsExactlyElementsOf(expected);
            report.path("items").forEach(item -> assertThat(item.path("resourceId").asString()).isEqualTo(instance));
        });
    }

    @Test
    void memoryIsShownInGibSecondsExactlyAndEveryQuantityAsAPlainDecimal() {
        String tenant = fixtures.tenant();
        String instance = instance();
        fact(tenant, instance, LifecycleEventKind.STARTED, "2026-05-10T10:00:00Z", SMALL);
        fact(tenant, instance, LifecycleEventKind.DELETED, "2026-05-10T10:00:03Z", SMALL);
        rollups.recompute(instance, at("2026-05-10T11:00:00Z"));

        ApiResponse response = api.get(OWN + "?from=2026-05-10T00:00:00Z&to=2026-05-11T00:00:00Z&meter=memory.gib.seconds",
                fixtures.principal(tenant, "tenant-member").token()).expect(200);

        assertThat(lines(exact(response).path("items"))).containsExactly(
                "2026-05-10T00:00:00Z 2026-05-11T00:00:00Z memory.gib.seconds 1.5 GiB·s");
        assertThat(response.body()).as("512 MiB for 3 s, as the number 1.5 on the wire").contains("\"quantity\":1.5,");
        assertThat(exact(response).path("items").get(0).has("flavor")).as("only instance.seconds has a flavor").isFalse();
    }

    @Test
    void aResizeSplitsInstanceSecondsByFlavorWhileTheOtherMetersCarryTheSize() {
        String tenant = fixtures.tenant();
        String instance = instance();
        fact(tenant, instance, LifecycleEventKind.STARTED, "2026-06-01T10:00:00Z", SMALL);
        fact(tenant, instance, LifecycleEventKind.RESIZED, "2026-06-01T10:20:00Z", LARGE);
        fact(tenant, instance, LifecycleEventKind.DELETED, "2026-06-01T11:00:00Z", LARGE);
        rollups.recompute(instance, at("2026-06-01T12:00:00Z"));

        JsonNode report = exact(api.get(OWN + "?from=2026-06-01T00:00:00Z&to=2026-06-02T00:00:00Z",
                fixtures.principal(tenant, "tenant-admin").token()).expect(200));

        assertThat(lines(report.path("items"))).containsExactly(
                "2026-06-01T00:00:00Z 2026-06-02T00:00:00Z disk.gib.seconds 36000 GiB·s",
                "2026-06-01T00:00:00Z 2026-06-02T00:00:00Z instance.seconds:1vcpu-512mib-10gib 1200 s",
                "2026-06-01T00:00:00Z 2026-06-02T00:00:00Z instance.seconds:2vcpu-1024mib-10gib 2400 s",
                "2026-06-01T00:00:00Z 2026-06-02T00:00:00Z memory.gib.seconds 3000 GiB·s",
                "2026-06-01T00:00:00Z 2026-06-02T00:00:00Z vcpu.seconds 6000 vCPU·s");
        assertThat(report.path("granularity").asString()).as("the default").isEqualTo("day");
    }

    @Test
    void anAdjustmentOnAClosedHourCountsInAndAnHourThatDroppedToZeroIsLeftOut() {
        String tenant = fixtures.tenant();
        String viewer = fixtures.principal(tenant, "tenant-viewer").token();
        String instance = instance();
        fact(tenant, instance, LifecycleEventKind.STARTED, "2026-07-01T10:00:00Z", SMALL);
        rollups.recompute(instance, at("2026-07-01T13:00:00Z"));
        jdbc.sql("update usage_hourly set closed = true, closed_at = now() where resource_id = :r and hour = :h")
                .param("r", instance).param("h", at("2026-07-01T11:00:00Z").atOffset(ZoneOffset.UTC)).update();

        // The stop arrives late: 11:00 is closed and keeps 3,600 s plus an adjustment of -1,800 s; 12:00 drops to zero.
        fact(tenant, instance, LifecycleEventKind.STOPPED, "2026-07-01T11:30:00Z", SMALL);
        fact(tenant, instance, LifecycleEventKind.DELETED, "2026-07-01T11:40:00Z", SMALL);
        rollups.recompute(instance, at("2026-07-01T13:00:00Z"));
        assertThat(jdbc.sql("select quantity from usage_hourly where resource_id = :r and meter = :m and hour = :h")
                .param("r", instance).param("m", "instance.seconds:1vcpu-512mib-10gib")
                .param("h", at("2026-07-01T11:00:00Z").atOffset(ZoneOffset.UTC)).query(Long.class).single())
                .as("the closed row itself never changes").isEqualTo(3600L);

        String range = "from=2026-07-01T00:00:00Z&to=2026-07-02T00:00:00Z&meter=instance.seconds";
        assertThat(lines(exact(api.get(OWN + "?" + range + "&granularity=hour", viewer).expect(200)).path("items"))).containsExactly(
                "2026-07-01T10:00:00Z 2026-07-01T11:00:00Z instance.seconds:1vcpu-512mib-10gib 3600 s",
                "2026-07-01T11:00:00Z 2026-07-01T12:00:00Z instance.seconds:1vcpu-512mib-10gib 1800 s");
        assertThat(lines(exact(api.get(OWN + "?" + range, viewer).expect(200)).path("totals"))).containsExactly(
                "2026-07-01T00:00:00Z 2026-07-02T00:00:00Z instance.seconds:1vcpu-512mib-10gib 5400 s");
    }

    @Test
    void aTenantSeesOnlyItsOwnUsageAndOperatorsSeeAnyTenants() {
        String tenantA = fixtures.tenant();
        String tenantB = fixtures.tenant();
        String instanceA = instance();
        String instanceB = instance();
        String otherOfA = instance();
        ranFor(tenantA, instanceA, 100);
        ranFor(tenantA, otherOfA, 50);
        ranFor(tenantB, instanceB, 7);
        String range = "?from=2026-08-01T00:00:00Z&to=2026-08-02T00:00:00Z&meter=instance.seconds";
        String a = fixtures.principal(tenantA, "tenant-viewer").token();
        String b = fixtures.principal(tenantB, "tenant-admin").token();
        String opsViewer = fixtures.principal(null, "ops-viewer").token();

        JsonNode ofA = exact(api.get(OWN + range, a).expect(200));
        assertThat(ofA.path("tenantId").asString()).isEqualTo(tenantA);
        assertThat(resources(ofA)).containsExactlyInAnyOrder(instanceA + " 100", otherOfA + " 50");
        assertThat(lines(ofA.path("totals"))).containsExactly(
                "2026-08-01T00:00:00Z 2026-08-02T00:00:00Z instance.seconds:1vcpu-512mib-10gib 150 s");
        assertThat(resources(exact(api.get(OWN + range, b).expect(200)))).containsExactly(instanceB + " 7");
        JsonNode reachingIntoA = exact(api.get(OWN + range + "&resourceId=" + instanceA, b).expect(200));
        assertThat(reachingIntoA.path("items")).as("B naming A's instance finds nothing").isEmpty();
        assertThat(reachingIntoA.path("totals")).isEmpty();
        assertThat(resources(exact(api.get(OWN + range + "&resourceId=" + otherOfA, a).expect(200)))).containsExactly(otherOfA + " 50");

        assertThat(resources(exact(api.get(OPS + range + "&tenantId=" + tenantA, opsViewer).expect(200))))
                .containsExactlyInAnyOrder(instanceA + " 100", otherOfA + " 50");
        assertThat(resources(exact(api.get(OPS + range + "&tenantId=" + tenantB, fixtures.adminToken()).expect(200))))
                .containsExactly(instanceB + " 7");
        api.get(OPS + range + "&tenantId=" + tenantA, b).expectProblem(403, "forbidden");
        api.get(OWN + range, opsViewer).expectProblem(403, "forbidden");
        api.get(OPS + range + "&tenantId=t-00000000000000000000000000", opsViewer).expectProblem(404, "not-found");
        api.get(OPS + range + "&tenantId=nonsense", opsViewer).expectProblem(404, "not-found");
    }

    /** Each row: a query, and the parameter its 400 must name with the message it must carry. */
    @Test
    void everyBadParameterIsAProblemNamingIt() {
        String viewer = fixtures.principal(fixtures.tenant(), "tenant-viewer").token();
        Map<String, Map.Entry<String, String>> cases = Map.of(
                "from=yesterday", Map.entry("from", "must be an RFC 3339 UTC time on a whole hour, such as 2026-03-01T00:00:00Z"),
                "from=2026-03-01T00:30:00Z", Map.entry("from", "must be on a whole hour, such as 2026-03-01T00:00:00Z"),
                "to=2026-03-01", Map.entry("to", "must be an RFC 3339 UTC time on a whole hour, such as 2026-03-01T00:00:00Z"),
                "to=%2B10000-01-01T00:00:00Z", Map.entry("to", "must be an RFC 3339 UTC time on a whole hour, such as 2026-03-01T00:00:00Z"),
                "from=2026-03-01T00:00:00Z&to=2026-03-01T00:00:00Z", Map.entry("to", "must be after from (2026-03-01T00:00:00Z)"),
                "from=2026-03-02T00:00:00Z&to=2026-03-01T00:00:00Z", Map.entry("to", "must be after from (2026-03-02T00:00:00Z)"),
                "from=2026-01-01T00:00:00Z&to=2027-01-02T01:00:00Z",
                Map.entry("to", "must be at most 366 days after from (2026-01-01T00:00:00Z)"),
                "granularity=week", Map.entry("granularity", "must be one of hour, day, month"),
                "meter=cpu.seconds",
                Map.entry("meter", "must be one of instance.seconds, vcpu.seconds, memory.gib.seconds, disk.gib.seconds"),
                "resourceId=", Map.entry("resourceId", "must be a resource's id, 1 to 200 characters"));

        cases.forEach((query, error) -> {
            for (String accept : List.of("application/json", "text/csv")) {
                ApiResponse problem = api.send("GET", OWN + "?" + query, viewer, null, Map.of("Accept", accept))
                        .expectProblem(400, "malformed-request");
                assertThat(problem.json().path("errors").get(0).path("field").asString()).as(query + ", " + accept).isEqualTo(error.getKey());
                assertThat(problem.json().path("errors").get(0).path("message").asString()).as(query).isEqualTo(error.getValue());
            }
        });
        assertThat(api.get(OWN + "?from=2025-01-01T00:00:00Z&to=2026-01-02T00:00:00Z", viewer).expect(200).json().path("to").asString())
                .as("exactly 366 days is allowed").isEqualTo("2026-01-02T00:00:00Z");
        ApiResponse noTenant = api.send("GET", OPS, fixtures.adminToken(), null, Map.of("Accept", "text/csv"))
                .expectProblem(400, "malformed-request");
        assertThat(noTenant.json().path("errors").get(0).path("field").asString()).isEqualTo("tenantId");
        api.send("GET", OPS + "?tenantId=t-00000000000000000000000000", fixtures.adminToken(), null, Map.of("Accept", "text/csv"))
                .expectProblem(404, "not-found");
    }

    @Test
    void withoutARangeTheReportRunsFromTheStartOfTheMonthToTheNextHour() {
        String viewer = fixtures.principal(fixtures.tenant(), "tenant-viewer").token();
        Instant before = Instant.now();
        JsonNode report = api.get(OWN, viewer).expect(200).json();
        Instant after = Instant.now();

        assertThat(report.path("from").asString()).isIn(startOfMonth(before), startOfMonth(after));
        assertThat(report.path("to").asString()).isIn(nextHour(before), nextHour(after));
        assertThat(report.path("granularity").asString()).isEqualTo("day");
        assertThat(report.path("items")).isEmpty();
    }

    @Test
    void csvHasAHeaderAndOneLinePerItemByteForByte() throws Exception {
        String tenant = fixtures.tenant();
        String instance = instance();
        fact(tenant, instance, LifecycleEventKind.STARTED, "2026-09-30T23:59:58Z", SMALL);
        fact(tenant, instance, LifecycleEventKind.DELETED, "2026-10-01T00:00:01Z", SMALL);
        rollups.recompute(instance, at("2026-10-01T01:00:00Z"));
        String query = "?from=2026-09-30T00:00:00Z&to=2026-10-02T00:00:00Z&meter=memory.gib.seconds";
        String member = fixtures.principal(tenant, "tenant-member").token();

        ApiResponse csv = api.send("GET", OWN + query, member, null, Map.of("Accept", "text/csv")).expect(200);
        ApiResponse ops = api.send("GET", OPS + query + "&tenantId=" + tenant, fixtures.adminToken(), null,
                Map.of("Accept", "text/csv, application/json;q=0.5")).expect(200);

        assertThat(csv.header("Content-Type")).isEqualToIgnoringCase("text/csv;charset=UTF-8");
        assertThat(csv.header("Content-Disposition"))
                .isEqualTo("attachment; filename=\"usage-" + tenant + "-20260930T000000Z-20261002T000000Z.csv\"");
        String expected = "tenant_id,resource_id,meter,flavor,period_start,period_end,quantity,unit\r\n"
                + tenant + "," + instance + ",memory.gib.seconds,,2026-09-30T00:00:00Z,2026-10-01T00:00:00Z,1,GiB·s\r\n"
                + tenant + "," + instance + ",memory.gib.seconds,,2026-10-01T00:00:00Z,2026-10-02T00:00:00Z,0.5,GiB·s\r\n";
        assertThat(csv.body()).isEqualTo(expected);
        HttpResponse<byte[]> bytes = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(api.base() + OWN + query))
                .header("Authorization", "Bearer " + member).header("Accept", "text/csv").build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(bytes.body()).as("UTF-8 on the wire, the middle dot in two bytes").isEqualTo(expected.getBytes(StandardCharsets.UTF_8));
        assertThat(ops.body()).as("the operator's CSV of the tenant is the same").isEqualTo(csv.body());
    }

    private String instance() {
        return "i-" + UUID.randomUUID();
    }

    /** The instance runs {@code seconds} from 2026-08-01T10:00:00Z as the small shape, then is deleted. */
    private void ranFor(String tenant, String instance, int seconds) {
        fact(tenant, instance, LifecycleEventKind.STARTED, "2026-08-01T10:00:00Z", SMALL);
        fact(tenant, instance, LifecycleEventKind.DELETED, at("2026-08-01T10:00:00Z").plusSeconds(seconds).toString(), SMALL);
        rollups.recompute(instance, at("2026-08-01T12:00:00Z"));
    }

    private void fact(String tenant, String instance, LifecycleEventKind event, String occurredAt, Shape shape) {
        Instant at = at(occurredAt);
        long reportSeq = ++seq;
        new TransactionTemplate(transactions).executeWithoutResult(tx -> log.observed(host, incarnation, reportSeq, at, Duration.ZERO,
                new LifecycleFact(instance, tenant, event, at, 1, shape), at));
    }

    /** Items or totals as {@code periodStart periodEnd meter[:flavor] quantity unit}, quantities exact. */
    private static List<String> lines(JsonNode rows) {
        return rows.valueStream()
                .map(row -> row.path("periodStart").asString() + " " + row.path("periodEnd").asString() + " " + row.path("meter").asString()
                        + (row.has("flavor") ? ":" + row.path("flavor").asString() : "") + " "
                        + row.path("quantity").decimalValue().toPlainString() + " " + row.path("unit").asString())
                .toList();
    }

    /** Each item as {@code resourceId quantity}. */
    private static List<String> resources(JsonNode report) {
        return report.path("items").valueStream()
                .map(item -> item.path("resourceId").asString() + " " + item.path("quantity").decimalValue().toPlainString())
                .collect(Collectors.toList());
    }

    private static JsonNode exact(ApiResponse response) {
        return EXACT.readTree(response.body());
    }

    private static String startOfMonth(Instant now) {
        return now.atOffset(ZoneOffset.UTC).withDayOfMonth(1).toLocalDate().atStartOfDay().toInstant(ZoneOffset.UTC).toString();
    }

    private static String nextHour(Instant now) {
        return now.truncatedTo(ChronoUnit.HOURS).plusSeconds(3600).toString();
    }

    private static Instant at(String instant) {
        return Instant.parse(instant);
    }
}
