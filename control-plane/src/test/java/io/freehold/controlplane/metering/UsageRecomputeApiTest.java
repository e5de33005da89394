package io.freehold.controlplane.metering;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import io.freehold.controlplane.metering.LifecycleFact.Shape;
import io.freehold.controlplane.platform.ids.IdGenerator;
import io.freehold.controlplane.testing.ApiResponse;
import io.freehold.controlplane.testing.ApiTest;
import io.freehold.controlplane.testing.Fixtures;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * {@code POST /api/v1/ops/usage/recompute}: which instances each scope queues, that a queued key waiting out a backoff
 * becomes due now, what is refused, that a retry under the same Idempotency-Key is answered from the first, and the
 * audit entry. Who may call it at all is the authorization matrix's business.
 */
class UsageRecomputeApiTest extends ApiTest {

    private static final String RECOMPUTE = "/api/v1/ops/usage/recompute";
    private static final Shape SMALL = new Shape(1, 1024, 10);

    @Autowired
    private JdbcClient jdbc;
    @Autowired
    private IdGenerator ids;
    @Autowired
    private Clock clock;

    private AgentFacts facts;
    private long seq;

    @BeforeEach
    void reporter(@Autowired LifecycleLog log, @Autowired PlatformTransactionManager transactions) {
        facts = new AgentFacts(log, transactions);
    }

    @Test
    void aNamedInstanceIsQueuedDueNowEvenWhileItsKeyBacksOff() {
        String tenant = fixtures.tenant();
        String instance = runningSince(tenant, Duration.ofHours(2));
        jdbc.sql("update work_queue set not_before = now() + interval '1 minute', attempts = 3 where kind = :kind and key = :key")
                .param("kind", UsageRecomputePass.QUEUE_KIND).param("key", instance).update();

        ApiResponse answer = api.post(RECOMPUTE, fixtures.adminToken(), Map.of("instanceId", instance)).expect(202);

        assertThat(answer.json().path("queued").asInt()).isEqualTo(1);
        assertThat(due(instance)).as("due now").isTrue();
        assertThat(jdbc.sql("select details ->> 'queued' from audit_event where action = 'usage.recompute' and target = :instance")
                .param("instance", instance).query(String.class).single()).isEqualTo("1");
    }

    @Test
    void aTenantQueuesAllItsInstancesSettledOrNotAndNothingElse() {
        String tenant = fixtures.tenant();
        String running = runningSince(tenant, Duration.ofHours(2));
        String deletedLongAgo = deletedLongAgo(tenant);
        String otherTenants = runningSince(fixtures.tenant(), Duration.ofHours(2));
        forget(running, deletedLongAgo, otherTenants);

        assertThat(api.post(RECOMPUTE, fixtures.adminToken(), Map.of("tenantId", tenant)).expect(202).json().path("queued").asInt())
                .isEqualTo(2);
        assertThat(due(running)).isTrue();
        assertThat(due(deletedLongAgo)).as("named, so settled or not").isTrue();
        assertThat(queued(otherTenants)).isFalse();
    }

    @Test
    void noScopeQueuesEveryUnsettledInstanceLikeTheSweep() {
        String tenant = fixtures.tenant();
        String running = runningSince(tenant, Duration.ofHours(2));
        String deletedLongAgo = deletedLongAgo(tenant);
        forget(running, deletedLongAgo);

        assertThat(api.post(RECOMPUTE, fixtures.adminToken(), null).expect(202).json().path("queued").asInt()).isPositive();
        assertThat(due(running)).isTrue();
        assertThat(queued(deletedLongAgo)).as("settled: deleted, no fact within the hour").isFalse();
        api.post(RECOMPUTE, fixtures.adminToken(), Map.of()).expect(202);
    }

    @Test
    void anInstanceWithoutFactsOrOfAnotherTenantQueuesNothing() {
        String tenant = fixtures.tenant();
        String instance = runningSince(tenant, Duration.ofHours(2));
        forget(instance);

        assertThat(api.post(RECOMPUTE, fixtures.adminToken(), Map.of("instanceId", ids.next("i"))).expect(202).json().path("queued").asInt())
                .isZero();
        assertThat(api.post(RECOMPUTE, fixtures.adminToken(), Map.of("instanceId", instance, "tenantId", fixtures.tenant()))
                .expect(202).json().path("queued").asInt()).isZero();
        assertThat(queued(instance)).isFalse();
        assertThat(api.post(RECOMPUTE, fixtures.adminToken(), Map.of("instanceId", instance, "tenantId", tenant))
                .expect(202).json().path("queued").asInt()).isEqualTo(1);
    }

    @Test
    void idsOfTheWrongKindAndUnknownFieldsAreRefused() {
        ApiResponse badInstance = api.post(RECOMPUTE, fixtures.adminToken(), Map.of("instanceId", fixtures.tenant()))
                .expectProblem(422, "validation-failed");
        assertThat(badInstance.json().path("errors").get(0).path("field").asString()).isEqualTo("instanceId");
        api.post(RECOMPUTE, fixtures.adminToken(), Map.of("tenantId", "acme")).expectProblem(422, "validation-failed");
        api.post(RECOMPUTE, fixtures.adminToken(), Map.of("hostId", "h-1")).expectProblem(400, "malformed-request");
    }

    @Test
    void aRetryUnderTheSameIdempotencyKeyIsAnsweredFromTheFirst() {
        String tenant = fixtures.tenant();
        String instance = runningSince(tenant, Duration.ofHours(2));
        Map<String, String> key = Map.of("Idempotency-Key", Fixtures.unique("recompute"));

        api.post(RECOMPUTE, fixtures.adminToken(), Map.of("instanceId", instance), key).expect(202);
        forget(instance);
        ApiResponse again = api.post(RECOMPUTE, fixtures.adminToken(), Map.of("instanceId", instance), key).expect(202);

        assertThat(again.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(again.json().path("queued").asInt()).isEqualTo(1);
        assertThat(queued(instance)).as("a replay queues nothing").isFalse();
        api.post(RECOMPUTE, fixtures.adminToken(), Map.of("tenantId", tenant), key).expectProblem(422, "idempotency-key-reused");
    }

    /** An instance of the tenant that started {@code ago} and runs on; its fact queued it. */
    private String runningSince(String tenant, Duration ago) {
        String instance = ids.next("i");
        Instant at = clock.instant().minus(ago).truncatedTo(ChronoUnit.SECONDS);
        fact(instance, tenant, LifecycleEventKind.STARTED, at, at);
        return instance;
    }

    /** An instance of the tenant deleted three hours ago, its facts recorded then: settled. */
    private String deletedLongAgo(String tenant) {
        String instance = ids.next("i");
        Instant at = clock.instant().minus(Duration.ofHours(3)).truncatedTo(ChronoUnit.SECONDS);
        fact(instance, tenant, LifecycleEventKind.STARTED, at, at);
        fact(instance, tenant, LifecycleEventKind.DELETED, at.plusSeconds(60), at.plusSeconds(60));
        return instance;
    }

    private void fact(String instance, String tenant, LifecycleEventKind event, Instant at, Instant recordedAt) {
        facts.report(++seq, instance, tenant, event, at, SMALL, recordedAt);
    }

    /** Drops the keys the instances' facts queued, as if the worker had recomputed them. */
    private void forget(String... instances) {
        jdbc.sql("delete from work_queue where kind = :kind and key in (:keys)")
                .param("kind", UsageRecomputePass.QUEUE_KIND).param("keys", List.of(instances)).update();
    }

    private boolean queued(String instance) {
        return jdbc.sql("select count(*) from work_queue where kind = :kind and key = :key")
                .param("kind", UsageRecomputePass.QUEUE_KIND).param("key", instance).query(Integer.class).single() == 1;
    }

    private boolean due(String instance) {
        return jdbc.sql("select count(*) from work_queue where kind = :kind and key = :key and not_before <= now()")
                .param("kind", UsageRecomputePass.QUEUE_KIND).param("key", instance).query(Integer.class).single() == 1;
    }
}
