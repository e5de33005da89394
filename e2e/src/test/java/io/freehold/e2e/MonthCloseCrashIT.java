package io.freehold.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import java.util.stream.StreamSupport;

import io.freehold.e2e.LifecycleFacts.Fact;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The control plane killed with SIGKILL in the middle of month close and started again on the same database (issue 8):
 * the killed close leaves nothing — no invoice, no number taken, the month's hours open — and the next close makes
 * every tenant's draft final as it was read before, under consecutive numbers, and nothing after that changes it.
 *
 * <p>Three tenants on one EUR price list whose version 1, in force from January 2025, goes in by SQL (the API takes no
 * version for an hour that has begun); their instances ran in February 2025, their facts written by SQL
 * ({@link LifecycleFacts}) and rolled up by the running control plane. Month close takes the tenants one after the
 * other — the operator's call inside its request's transaction, as every mutating request runs, the job in a
 * transaction per tenant — so the kill lands in the first tenant's close, after it stored its invoice and took its
 * number, before anything of the close has committed; the other two have not begun. Alpha's invoice and Bravo's total
 * are worked out by hand below.
 */
@Timeout(value = 8, unit = TimeUnit.MINUTES)
class MonthCloseCrashIT {

    /** The worker runs a pass every 500 ms (below); a loaded machine may take far longer to get to it. */
    private static final Duration ROLLUP_LIMIT = Duration.ofSeconds(60);
    /** Closing three tenants' few hours takes well under a second; a loaded machine may take far longer. */
    private static final Duration CLOSE_LIMIT = Duration.ofSeconds(60);
    private static final String MONTH = "2025-02";

    /** 2 vCPUs, 4 GiB, 20 GiB: provisioned and started at 08:00 on 10 February, stopped at 10:30, deleted at 11:00. */
    private static final String ALPHA_VM = "i-01jq0b0000000000000000a001";
    /** 1 vCPU, 1 GiB, 10 GiB: 00:00 to 06:00 on 3 February, deleted at 06:30. */
    private static final String BRAVO_SMALL = "i-01jq0b0000000000000000b001";
    /** 4 vCPUs, 8 GiB, 40 GiB: provisioned at 12:00 on 20 February, running 12:15 to 13:45, deleted at 14:00. */
    private static final String BRAVO_LARGE = "i-01jq0b0000000000000000b002";
    /** From 22:00 on 28 February into 1 March, resized at 23:30: only its February hours are February's. */
    private static final String CHARLIE_VM = "i-01jq0b0000000000000000c001";

    private static final List<Fact> ALPHA_FACTS = List.of(
            new Fact(ALPHA_VM, 1, "provisioned", "2025-02-10T08:00:00Z", 2, 4096, 20),
            new Fact(ALPHA_VM, 2, "started", "2025-02-10T08:00:00Z", 2, 4096, 20),
            new Fact(ALPHA_VM, 3, "stopped", "2025-02-10T10:30:00Z", 2, 4096, 20),
            new Fact(ALPHA_VM, 4, "deleted", "2025-02-10T11:00:00Z", 2, 4096, 20));
    private static final List<Fact> BRAVO_FACTS = List.of(
            new Fact(BRAVO_SMALL, 5, "provisioned", "2025-02-03T00:00:00Z", 1, 1024, 10),
            new Fact(BRAVO_SMALL, 6, "started", "2025-02-03T00:00:00Z", 1, 1024, 10),
            new Fact(BRAVO_SMALL, 7, "stopped", "2025-02-03T06:00:00Z", 1, 1024, 10),
            new Fact(BRAVO_SMALL, 8, "deleted", "2025-02-03T06:30:00Z", 1, 1024, 10),
            new Fact(BRAVO_LARGE, 9, "provisioned", "2025-02-20T12:00:00Z", 4, 8192, 40),
            new Fact(BRAVO_LARGE, 10, "started", "2025-02-20T12:15:00Z", 4, 8192, 40),
            new Fact(BRAVO_LARGE, 11, "stopped", "2025-02-20T13:45:00Z", 4, 8192, 40),
            new Fact(BRAVO_LARGE, 12, "deleted", "2025-02-20T14:00:00Z", 4, 8192, 40));
    private static final List<Fact> CHARLIE_FACTS = List.of(
            new Fact(CHARLIE_VM, 13, "provisioned", "2025-02-28T22:00:00Z", 2, 2048, 20),
            new Fact(CHARLIE_VM, 14, "started", "2025-02-28T22:00:00Z", 2, 2048, 20),
            new Fact(CHARLIE_VM, 15, "resized", "2025-02-28T23:30:00Z", 4, 4096, 20),
            new Fact(CHARLIE_VM, 16, "stopped", "2025-03-01T01:30:00Z", 4, 4096, 20),
            new Fact(CHARLIE_VM, 17, "deleted", "2025-03-01T02:00:00Z", 4, 4096, 20));

    /** Version 1's prices per published unit: vCPU·s, GiB·s of memory, GiB·s of disk, and seconds of any flavor for nothing. */
    private static final Map<String, String> UNIT_PRICES = Map.of(
            "vcpu.seconds", "0.0001", "memory.gib.seconds", "0.00001", "disk.gib.seconds", "0.000001", "instance.seconds", "0");

    /** Every hour of the month, with whether it is closed and when it was computed: a close that left anything shows here. */
    private static final String MONTH_HOURS = """
            select tenant_id || ' ' || resource_id || ' ' || meter || ' ' || hour || ' ' || quantity || ' ' || closed || ' ' || computed_at
              from usage_hourly where hour >= '2025-02-01T00:00:00Z' and hour < '2025-03-01T00:00:00Z' order by 1""";
    /** The fields a draft and its final invoice differ in; everything else must be identical. */
    private static final List<String> FINALIZATION = List.of("status", "number", "computedAt", "finalizedAt");

    @RegisterExtension
    final TestResources resources = new TestResources();

    @Test
    void aMonthCloseKilledAfterStoringAnInvoiceLeavesNothingAndTheNextMakesEveryDraftFinalUnderConsecutiveNumbers() throws Exception {
        ControlPlaneInstallation installation = ControlPlaneInstallation.create(resources, Map.of(
                "freehold.metering.recompute.interval", "500ms",
                // The job would close February by itself at minute 7 of any hour; here only the operator's calls close it.
                "freehold.billing.month-close.cron", "0 0 0 1 1 ? 2099"));
        PostgresDatabase database = installation.database();
        ControlPlane armed = installation.start(Map.of("FREEHOLD_FAULT_POINT", "during-month-close"));
        OpsApi ops = new OpsApi(armed.restBase(), armed.adminToken());
        String prices = ops.createPriceList("month-close-crash", "EUR");
        priceFromJanuary2025(database, prices);
        String alpha = pricedTenant(ops, "alpha", prices, "0");
        String bravo = pricedTenant(ops, "bravo", prices, "10");
        String charlie = pricedTenant(ops, "charlie", prices, "0");
        List<String> tenants = List.of(alpha, bravo, charlie);
        LifecycleFacts.record(database, alpha, ALPHA_FACTS);
        LifecycleFacts.record(database, bravo, BRAVO_FACTS);
        LifecycleFacts.record(database, charlie, CHARLIE_FACTS);
        Poll.until("the rollup worker recomputes the four instances", System.nanoTime(), ROLLUP_LIMIT,
                () -> database.strings("select key from work_queue where kind = 'usage'"), List::isEmpty);

        Map<String, JsonNode> drafts = new TreeMap<>();
        for (String tenant : tenants) {
            JsonNode draft = ops.tenantInvoice(tenant, MONTH);
            assertThat(draft.path("status").asString()).as("%s's invoice of %s before the close", tenant, MONTH).isEqualTo("DRAFT");
            drafts.put(tenant, draft);
        }
        // Alpha: 9000 s running (08:00–10:30), the disk 10,800 s (08:00–11:00); no discount; tax 19 % of each line, rounded half-even.
        // vCPU: 2 × 9000 = 18,000 vCPU·s × 0.0001 = 1.80; tax 0.342 → 0.34.
        // Memory: 4 GiB × 9000 = 36,000 GiB·s × 0.00001 = 0.36; tax 0.0684 → 0.07.
        // Disk: 20 GiB × 10,800 = 216,000 GiB·s × 0.000001 = 0.216 → 0.22; tax 0.0418 → 0.04.
        // Instance seconds at 0: 0.00. Subtotal 1.80 + 0.36 + 0.22 = 2.38; tax 0.34 + 0.07 + 0.04 = 0.45; total 2.83.
        JsonNode alphaDraft = drafts.get(alpha);
        assertLine(alphaDraft, "vcpu.seconds", "18000", "1.80", "0.34");
        assertLine(alphaDraft, "memory.gib.seconds", "36000", "0.36", "0.07");
        assertLine(alphaDraft, "disk.gib.seconds", "216000", "0.22", "0.04");
        assertThat(List.of(alphaDraft.path("subtotal").asString(), alphaDraft.path("tax").asString(), alphaDraft.path("total").asString()))
                .as("alpha's subtotal, tax and total").containsExactly("2.38", "0.45", "2.83");
        // Bravo, 10 % off each line's list amount: vCPU 1 × 21,600 + 4 × 5400 = 43,200 × 0.0001 = 4.32 × 0.9 = 3.888 → 3.89, tax 0.7391 → 0.74;
        // memory 1 × 21,600 + 8 × 5400 = 64,800 × 0.00001 = 0.648 × 0.9 = 0.5832 → 0.58, tax 0.1102 → 0.11;
        // disk 10 × 23,400 + 40 × 7200 = 522,000 × 0.000001 = 0.522 × 0.9 = 0.4698 → 0.47, tax 0.0893 → 0.09.
        // Subtotal 4.94, tax 0.94, total 5.88.
        assertThat(drafts.get(bravo).path("total").asString()).as("bravo's total").isEqualTo("5.88");

        List<String> hoursBefore = database.strings(MONTH_HOURS);
        assertThat(hoursBefore).as("February's hours before the close: all open").isNotEmpty().noneMatch(hour -> hour.contains(" true "));
        long last = lastNumber(database);

        CompletableFuture<HttpResponse<String>> killedClose = ops.startMonthClose(MONTH);
        armed.process().awaitOutput("freehold fault point reached: during-month-close", CLOSE_LIMIT);
        List<String> closing = invoiceLocksHeld(database);
        assertThat(closing).as("tenants whose close holds its invoice lock: one, the first, parked").hasSize(1).isSubsetOf(tenants);
        assertThat(database.writersOf("invoice")).as("a row lock on invoice: the parked transaction has stored the invoice").isEqualTo(1);
        assertThat(database.writersOf("usage_hourly")).as("a row lock on usage_hourly: it has closed the month's hours").isEqualTo(1);
        assertThat(killedClose).as("the month-close call, while the first tenant's close is parked").isNotDone();
        armed.process().kill();
        assertThatThrownBy(() -> killedClose.get(CLOSE_LIMIT.toSeconds(), TimeUnit.SECONDS))
                .as("the month-close call, once its replica is killed: no answer").isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(IOException.class);
        Poll.until("PostgreSQL ends the killed replica's transaction", System.nanoTime(), CLOSE_LIMIT,
                () -> invoiceLocksHeld(database), List::isEmpty);

        assertThat(List.of(database.count("invoice"), database.count("invoice_line"), database.count("invoice_line_resource")))
                .as("invoices, lines and line resources after the kill").containsOnly(0L);
        assertThat(lastNumber(database)).as("the invoice counter after the kill: the number went back").isEqualTo(last);
        assertThat(database.strings(MONTH_HOURS)).as("February's hours after the kill: as before, all open").isEqualTo(hoursBefore);
        assertThat(database.count("usage_closed")).as("tenants with closed months after the kill").isZero();

        ControlPlane restarted = installation.start(Map.of());
        OpsApi restartedOps = new OpsApi(restarted.restBase(), restarted.adminToken());
        JsonNode report = restartedOps.closeMonth(MONTH);
        assertThat(report.path("failed").size()).as("tenants whose close failed: %s", report).isZero();
        assertThat(report.path("alreadyFinal").asInt()).as("invoices final before the restarted close").isZero();
        Map<String, JsonNode> closed = new TreeMap<>();
        report.path("closed").forEach(entry -> closed.put(entry.path("tenantId").asString(), entry));
        assertThat(closed.keySet()).as("tenants the restarted close closed").containsExactlyInAnyOrderElementsOf(tenants);

        Map<String, JsonNode> finals = new TreeMap<>();
        for (String tenant : tenants) {
            JsonNode invoice = restartedOps.tenantInvoice(tenant, MONTH);
            finals.put(tenant, invoice);
            assertThat(invoice.path("status").asString()).as("%s's invoice after the close", tenant).isEqualTo("FINAL");
            assertThat(charges(invoice)).as("%s's final invoice but for its number and dates: the draft read before", tenant)
                    .isEqualTo(charges(drafts.get(tenant)));
            assertThat(List.of(invoice.path("number").asString(), invoice.path("total").asString())).as("%s's number and total in the report", tenant)
                    .containsExactly(closed.get(tenant).path("number").asString(), closed.get(tenant).path("total").asString());
        }
        assertThat(finals.values().stream().map(invoice -> invoice.path("number").asString()).toList())
                .as("the three numbers: the next three after the counter's before the kill, none skipped, none twice")
                .containsExactlyInAnyOrderElementsOf(LongStream.rangeClosed(last + 1, last + 3).mapToObj("INV-%06d"::formatted).toList());
        assertThat(lastNumber(database)).as("the invoice counter after the close").isEqualTo(last + 3);
        assertThat(((Number) database.value("select max(number) - count(*) from invoice")).longValue())
                .as("numbers missing below the highest").isZero();
        assertThat(database.strings(MONTH_HOURS)).as("February's hours after the close: all closed").isNotEmpty()
                .allMatch(hour -> hour.contains(" true "));
        assertThat(((Number) database.value("""
                select count(*) from usage_hourly where resource_id = ? and hour >= '2025-03-01T00:00:00Z' and not closed""", CHARLIE_VM))
                .longValue()).as("charlie's open hours of March: March is not closed with February").isPositive();

        // Closing February again closes nothing, fails nothing and finds the three invoices final.
        JsonNode again = restartedOps.closeMonth(MONTH);
        assertThat(again.path("closed").size()).as("invoices closed by closing February again: %s", again).isZero();
        assertThat(again.path("alreadyFinal").asInt()).as("February's invoices found final").isEqualTo(3);
        assertThat(again.path("failed").size()).as("failures closing February again").isZero();
        for (String tenant : tenants) {
            assertThat(restartedOps.tenantInvoice(tenant, MONTH)).as("%s's invoice after closing again", tenant).isEqualTo(finals.get(tenant));
        }
        assertThat(lastNumber(database)).as("the invoice counter after closing again").isEqualTo(last + 3);
    }

    /** Version 1 of {@code priceList}, in force from 1 January 2025, tax 19 %, written as the API stores a version (one transaction). */
    private static void priceFromJanuary2025(PostgresDatabase database, String priceList) throws SQLException {
        try (Connection connection = DriverManager.getConnection(database.jdbcUrl(), database.user(), null);
             PreparedStatement version = connection.prepareStatement("""
                     insert into price_list_version (price_list_id, version, effective_from, tax_rate, created_at)
                     values (?, 1, ?, 0.19, now())""");
             PreparedStatement price = connection.prepareStatement("""
                     insert into price_list_unit_price (price_list_id, version, meter, unit_price) values (?, 1, ?, ?)""")) {
            connection.setAutoCommit(false);
            version.setString(1, priceList);
            version.setTimestamp(2, Timestamp.from(Instant.parse("2025-01-01T00:00:00Z")));
            version.executeUpdate();
            for (Map.Entry<String, String> unitPrice : UNIT_PRICES.entrySet()) {
                price.setString(1, priceList);
                price.setString(2, unitPrice.getKey());
                price.setBigDecimal(3, new BigDecimal(unitPrice.getValue()));
                price.executeUpdate();
            }
            connection.commit();
        }
    }

    private static String pricedTenant(OpsApi ops, String slug, String priceList, String discountPercent) {
        String tenant = ops.createTenant(slug);
        ops.setTenantPricing(tenant, priceList, discountPercent);
        return tenant;
    }

    private static long lastNumber(PostgresDatabase database) throws SQLException {
        return ((Number) database.value("select last_number from invoice_counter")).longValue();
    }

    /**
     * The tenants whose month close holds its lock, {@code pg_advisory_xact_lock(hashtext('invoice'), hashtext(tenant))}:
     * held from the close's start to its transaction's end.
     */
    private static List<String> invoiceLocksHeld(PostgresDatabase database) throws SQLException {
        return database.strings("""
                select t.id from tenant t join pg_locks l
                  on l.locktype = 'advisory' and l.objsubid = 2 and l.granted
                 and l.classid = cast(hashtext('invoice') as oid) and l.objid = cast(hashtext(t.id) as oid)
                 and l.database = (select oid from pg_database where datname = current_database())
                 order by t.id""");
    }

    /** The invoice without what becoming final changes. */
    private static JsonNode charges(JsonNode invoice) {
        return ((ObjectNode) invoice.deepCopy()).remove(FINALIZATION);
    }

    private static void assertLine(JsonNode invoice, String meter, String quantity, String amount, String tax) {
        JsonNode line = StreamSupport.stream(invoice.path("lines").spliterator(), false)
                .filter(candidate -> candidate.path("meter").asString().equals(meter)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + meter + " line in " + invoice));
        assertThat(List.of(line.path("quantity").asString(), line.path("amount").asString(), line.path("tax").asString()))
                .as("quantity, amount and tax of the %s line", meter).containsExactly(quantity, amount, tax);
    }
}
