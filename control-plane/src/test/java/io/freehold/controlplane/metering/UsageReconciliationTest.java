package io.freehold.controlplane.metering;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.freehold.controlplane.metering.LifecycleFact.Shape;
import io.freehold.controlplane.platform.ids.IdGenerator;
import io.freehold.controlplane.testing.ApiTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

/**
 * The reconciliation report over HTTP on real PostgreSQL, fed the way heartbeats and guest reports feed metering
 * ({@link LifecycleLog#observed}, {@link LifecycleLog#counters}): zero differences when every fact arrived, the
 * seconds and the cause when one fact was dropped, a repeated delivery shown and never billed, and rollups that
 * lag the log told apart from billing errors.
 */
class UsageReconciliationTest extends ApiTest {

    private static final Shape SMALL = new Shape(2, 4096, 20);
    private static final String REPORT = "/api/v1/ops/usage/reconciliation";

    @Autowired
    private LifecycleLog log;
    @Autowired
    private UsageRollups rollups;
    @Autowired
    private IdGenerator ids;
    @Autowired
    private Clock clock;
    @Autowired
    private PlatformTransactionManager transactions;

    private final String host = "h-" + UUID.randomUUID();
    private final String incarnation = UUID.randomUUID().toString();
    private String tenant;
    private String instance;
    /** When the host's counter is read: now, in whole seconds, so that the reading is fresh when the report runs. */
    private Instant read;

    @BeforeEach
    void instance() {
        tenant = fixtures.tenant();
        instance = ids.next("i");
        read = clock.instant().truncatedTo(ChronoUnit.SECONDS);
    }

    @Test
    void aNormalRunShowsZeroDifferences() {
        fact(1, LifecycleEventKind.PROVISIONED, 700);
        fact(2, LifecycleEventKind.STARTED, 600);
        fact(3, LifecycleEventKind.STOPPED, 300);
        fact(4, LifecycleEventKind.STARTED, 200);
        fact(5, LifecycleEventKind.STOPPED, 50);
        rollups.recompute(instance, read);
        counter(host, 450, "SHUT_OFF");

        JsonNode line = line(report("?instanceId=" + instance));
        assertThat(line.path("tenantId").asString()).isEqualTo(tenant);
        assertThat(line.path("loggedRunningSeconds").asLong()).isEqualTo(450);
        assertThat(line.path("agentRunningSeconds").asLong()).isEqualTo(450);
        assertThat(line.path("difference").asLong()).isZero();
        assertThat(line.path("billedRunningSeconds").asLong()).isEqualTo(450);
        assertThat(line.path("rollupBehindSeconds").asLong()).isZero();
        assertThat(line.path("duplicateDeliveriesIgnored").asLong()).isZero();
        assertThat(line.path("tolerance").asLong()).as("two running intervals + 2").isEqualTo(4);
        assertThat(line.path("likelyCause").asString()).isEqualTo("NONE");
        assertThat(line.path("counters").get(0).path("hostId").asString()).isEqualTo(host);
        assertThat(report("?instanceId=" + instance + "&onlyDifferences=true").path("items")).as("no differences").isEmpty();
    }

    @Test
    void aDroppedStoppedFactShowsAsMissingStopWithItsSeconds() {
        fact(1, LifecycleEventKind.PROVISIONED, 700);
        fact(2, LifecycleEventKind.STARTED, 600);
        // The stopped fact 300 s ago never reached the log; the host's counter saw the guest stop then.
        rollups.recompute(instance, read);
        counter(host, 300, "SHUT_OFF");

        JsonNode line = line(report("?instanceId=" + instance + "&onlyDifferences=true"));
        assertThat(line.path("loggedRunningSeconds").asLong()).isEqualTo(600);
        assertThat(line.path("agentRunningSeconds").asLong()).isEqualTo(300);
        assertThat(line.path("difference").asLong()).isEqualTo(300);
        assertThat(line.path("likelyCause").asString()).isEqualTo("MISSING_STOP");
        assertThat(line.path("explanation").asString()).contains("300 s more running time than the host saw", "stopped fact");
    }

    @Test
    void aDroppedStartedFactShowsAsMissingStartWithItsSeconds() {
        fact(1, LifecycleEventKind.PROVISIONED, 700);
        // The started fact 600 s ago never reached the log: metering does not invent the running time.
        fact(3, LifecycleEventKind.STOPPED, 300);
        rollups.recompute(instance, read);
        counter(host, 300, "SHUT_OFF");

        JsonNode line = line(report("?instanceId=" + instance + "&onlyDifferences=true"));
        assertThat(line.path("loggedRunningSeconds").asLong()).isZero();
        assertThat(line.path("billedRunningSeconds").asLong()).isZero();
        assertThat(line.path("difference").asLong()).isEqualTo(-300);
        assertThat(line.path("likelyCause").asString()).isEqualTo("MISSING_START");
    }

    @Test
    void aFactDeliveredTwiceIsShownAndNotBilled() {
        fact(1, LifecycleEventKind.PROVISIONED, 700);
        fact(2, LifecycleEventKind.STARTED, 600);
        fact(3, LifecycleEventKind.STOPPED, 300);
        assertThat(fact(3, LifecycleEventKind.STOPPED, 300)).as("the same report again, after a lost acknowledgement").isFalse();
        rollups.recompute(instance, read);
        counter(host, 300, "SHUT_OFF");

        JsonNode line = line(report("?instanceId=" + instance));
        assertThat(line.path("difference").asLong()).isZero();
        assertThat(line.path("billedRunningSeconds").asLong()).isEqualTo(300);
        assertThat(line.path("duplicateDeliveriesIgnored").asLong()).isEqualTo(1);
        assertThat(line.path("likelyCause").asString()).isEqualTo("DUPLICATES_IGNORED");
        assertThat(line.path("explanation").asString()).contains("1 repeated delivery", "ignored and not billed");
    }

    @Test
    void aFactResentByTheAgentsNextIncarnationUnderItsOriginalKeyIsShownAndNotBilled() {
        fact(1, LifecycleEventKind.PROVISIONED, 700);
        fact(2, LifecycleEventKind.STARTED, 600);
        fact(3, LifecycleEventKind.STOPPED, 300);
        // The agent restarted before the acknowledgement came; its next incarnation sends the pending report
        // unchanged — the old incarnation's id and seq, the same time — and records new facts under its own id.
        String next = UUID.randomUUID().toString();
        assertThat(observed(incarnation, 3, LifecycleEventKind.STOPPED, 300)).isFalse();
        assertThat(observed(next, 1, LifecycleEventKind.STARTED, 100)).isTrue();
        assertThat(observed(next, 2, LifecycleEventKind.STOPPED, 40)).isTrue();
        rollups.recompute(instance, read);
        counter(host, 360, "SHUT_OFF");

        JsonNode line = line(report("?instanceId=" + instance));
        assertThat(line.path("loggedRunningSeconds").asLong()).isEqualTo(360);
        assertThat(line.path("difference").asLong()).isZero();
        assertThat(line.path("billedRunningSeconds").asLong()).isEqualTo(360);
        assertThat(line.path("duplicateDeliveriesIgnored").asLong()).isEqualTo(1);
        assertThat(line.path("likelyCause").asString()).isEqualTo("DUPLICATES_IGNORED");
    }

    @Test
    void rollupsNotYetRecomputedArePendingNotABillingError() {
        fact(1, LifecycleEventKind.STARTED, 600);
        rollups.recompute(instance, read.minusSeconds(10));
        // A late stop arrives after the rollups were computed, and the host's counter agrees with it.
        fact(2, LifecycleEventKind.STOPPED, 300);
        counter(host, 300, "SHUT_OFF");

        JsonNode pending = line(report("?instanceId=" + instance));
        assertThat(pending.path("difference").asLong()).as("log and counter agree").isZero();
        assertThat(pending.path("billedRunningSeconds").asLong()).isEqualTo(590);
        assertThat(pending.path("rollupBehindSeconds").asLong()).as("the log as of the last compute, minus billed").isEqualTo(300 - 590);
        assertThat(pending.path("likelyCause").asString()).isEqualTo("ROLLUP_PENDING");

        rollups.recompute(instance, read);
        JsonNode recomputed = line(report("?instanceId=" + instance));
        assertThat(recomputed.path("billedRunningSeconds").asLong()).isEqualTo(300);
        assertThat(recomputed.path("rollupBehindSeconds").asLong()).isZero();
        assertThat(recomputed.path("likelyCause").asString()).isEqualTo("NONE");
    }

    @Test
    void rollupsNeverComputedArePendingByAllTheLogSays() {
        fact(1, LifecycleEventKind.STARTED, 600);
        fact(2, LifecycleEventKind.STOPPED, 300);
        counter(host, 300, "SHUT_OFF");

        JsonNode line = line(report("?instanceId=" + instance));
        assertThat(line.path("rollupsComputedAt").isMissingNode()).isTrue();
        assertThat(line.path("rollupBehindSeconds").asLong()).isEqualTo(300);
        assertThat(line.path("likelyCause").asString()).isEqualTo("ROLLUP_PENDING");
    }

    @Test
    void countersOnSeveralHostsAreSummedAndARestartedCounterIsCarried() {
        String second = "h-" + UUID.randomUUID();
        fact(1, LifecycleEventKind.STARTED, 600);
        fact(2, LifecycleEventKind.STOPPED, 300);
        fact(3, LifecycleEventKind.STARTED, 200);
        fact(4, LifecycleEventKind.STOPPED, 100);
        rollups.recompute(instance, read);
        // The first run on one host, the second on another, whose agent lost its ledger in between.
        counter(host, 300, "SHUT_OFF");
        counter(second, 70, "RUNNING", read.minusSeconds(130));
        counter(second, 30, "SHUT_OFF");

        JsonNode line = line(report("?instanceId=" + instance));
        assertThat(line.path("agentRunningSeconds").asLong()).as("300 + (70 carried + 30)").isEqualTo(400);
        assertThat(line.path("counterResets").asLong()).isEqualTo(1);
        assertThat(line.path("difference").asLong()).isZero();
        assertThat(line.path("likelyCause").asString()).isEqualTo("NONE");
    }

    @Test
    void aStaleCounterIsSaid() {
        fact(1, LifecycleEventKind.STARTED, 600);
        rollups.recompute(instance, read.minusSeconds(60));
        // The host went silent a minute ago, longer than the 3 s (3 × 1 s heartbeats) these tests allow.
        counter(host, 540, "RUNNING", read.minusSeconds(60));

        JsonNode line = line(report("?instanceId=" + instance));
        assertThat(line.path("loggedRunningSeconds").asLong()).as("as of the reading, not now").isEqualTo(540);
        assertThat(line.path("difference").asLong()).isZero();
        assertThat(line.path("likelyCause").asString()).isEqualTo("COUNTER_STALE");
    }

    @Test
    void theTenantFilterShowsOneTenantsInstancesOnly() {
        fact(1, LifecycleEventKind.STARTED, 600);
        counter(host, 600, "RUNNING");
        String mine = instance;
        String otherTenant = fixtures.tenant();
        tenant = otherTenant;
        instance = ids.next("i");
        fact(2, LifecycleEventKind.STARTED, 600);
        counter(host, 600, "RUNNING");

        JsonNode page = report("?tenantId=" + otherTenant);
        assertThat(instanceIds(page)).containsExactly(instance);
        assertThat(page.path("items").get(0).path("tenantId").asString()).isEqualTo(otherTenant);
        assertThat(report("?tenantId=" + otherTenant + "&instanceId=" + mine).path("items")).isEmpty();
    }

    @Test
    void pagesFollowInstanceIdsAndAFilteredPageReadsOnUntilItIsFull() {
        List<String> instances = new ArrayList<>();
        String lossy = null;
        for (int i = 0; i < 3; i++) {
            instance = ids.next("i");
            instances.add(instance);
            fact(1 + 10L * i, LifecycleEventKind.STARTED, 600);
            fact(2 + 10L * i, LifecycleEventKind.STOPPED, 300);
            rollups.recompute(instance, read);
            // The middle one's host saw it stop 150 s earlier than the log says: a lost stop, hidden mid-list.
            counter(host, i == 1 ? 150 : 300, "SHUT_OFF");
            lossy = i == 1 ? instance : lossy;
        }
        // Ids made within one millisecond differ only in their random part: the report orders by id.
        instances.sort(null);

        JsonNode first = report("?tenantId=" + tenant + "&limit=2");
        assertThat(instanceIds(first)).containsExactlyElementsOf(instances.subList(0, 2));
        JsonNode second = report("?tenantId=" + tenant + "&limit=2&cursor=" + first.path("nextCursor").asString());
        assertThat(instanceIds(second)).containsExactly(instances.get(2));
        assertThat(second.path("nextCursor").isNull()).isTrue();

        JsonNode differences = report("?tenantId=" + tenant + "&limit=1&onlyDifferences=true");
        assertThat(instanceIds(differences)).containsExactly(lossy);
        assertThat(differences.path("items").get(0).path("difference").asLong()).isEqualTo(150);
        assertThat(differences.path("nextCursor").isNull()).as("the rest of the list holds no difference").isTrue();
    }

    @Test
    void operatorsReadItAndTenantsAreRefused() {
        String viewer = fixtures.principal(null, "ops-viewer").token();
        api.get(REPORT + "?tenantId=" + tenant, viewer).expect(200);
        api.get(REPORT, fixtures.principal(tenant, "tenant-admin").token()).expectProblem(403, "forbidden");
        api.get(REPORT + "?tenantId=nope", viewer).expectProblem(400, "malformed-request");
        api.get(REPORT + "?onlyDifferences=yes", viewer).expectProblem(400, "malformed-request");
    }

    private JsonNode report(String query) {
        return api.get(REPORT + query, fixtures.adminToken()).expect(200).json();
    }

    private static List<String> instanceIds(JsonNode page) {
        return page.path("items").valueStream().map(item -> item.path("instanceId").asString()).toList();
    }

    private static JsonNode line(JsonNode page) {
        assertThat(page.path("items")).hasSize(1);
        return page.path("items").get(0);
    }

    /** A fact the host observed {@code secondsBeforeRead} before the reading, reported now by the first incarnation. */
    private boolean fact(long seq, LifecycleEventKind event, long secondsBeforeRead) {
        return observed(incarnation, seq, event, secondsBeforeRead);
    }

    private boolean observed(String incarnationId, long seq, LifecycleEventKind event, long secondsBeforeRead) {
        Instant at = read.minusSeconds(secondsBeforeRead);
        return new TransactionTemplate(transactions).execute(tx -> log.observed(host, incarnationId, seq, at, Duration.ZERO,
                new LifecycleFact(instance, tenant, event, at, 1, SMALL), clock.instant()));
    }

    private void counter(String hostId, long runningSeconds, String power) {
        counter(hostId, runningSeconds, power, read);
    }

    private void counter(String hostId, long runningSeconds, String power, Instant readAt) {
        new TransactionTemplate(transactions).executeWithoutResult(tx -> log.counters(
                List.of(new GuestCounterReading(hostId, instance, runningSeconds, power)), readAt));
    }
}
