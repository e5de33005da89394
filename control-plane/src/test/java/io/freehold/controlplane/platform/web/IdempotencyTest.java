package io.freehold.controlplane.platform.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.freehold.controlplane.testing.ApiResponse;
import io.freehold.controlplane.testing.ApiTest;
import io.freehold.controlplane.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/** Idempotency-Key on POST (ARCHITECTURE §3.5): one object per key, the first answer replayed. */
class IdempotencyTest extends ApiTest {

    @Autowired
    JdbcClient jdbc;

    @Autowired
    TransactionTemplate transaction;

    @Test
    void aRepeatedPostWithTheSameKeyReturnsTheSameResponseAndCreatesOneObject() {
        String slug = Fixtures.unique("idem");
        Map<String, String> key = Map.of("Idempotency-Key", Fixtures.unique("key"));
        Map<String, Object> body = Map.of("name", "Idem", "slug", slug);

        ApiResponse first = api.post("/api/v1/ops/tenants", adminToken(), body, key).expect(201);
        ApiResponse again = api.post("/api/v1/ops/tenants", adminToken(), body, key).expect(201);

        assertThat(again.body()).isEqualTo(first.body());
        assertThat(again.header("Location")).isEqualTo(first.header("Location"));
        assertThat(again.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(tenantsWithSlug(slug)).isOne();
    }

    @Test
    void theSameKeyWithADifferentBodyIsRefused() {
        Map<String, String> key = Map.of("Idempotency-Key", Fixtures.unique("key"));
        api.post("/api/v1/ops/tenants", adminToken(), Map.of("name", "A", "slug", Fixtures.unique("a")), key).expect(201);

        ApiResponse reused = api.post("/api/v1/ops/tenants", adminToken(), Map.of("name", "B", "slug", Fixtures.unique("b")), key);

        reused.expectProblem(422, "idempotency-key-reused");
        assertThat(reused.json().path("errors").get(0).path("field").asString()).isEqualTo("Idempotency-Key");
    }

    @Test
    void keysBelongToTheCallerSoTwoCallersNeverCollide() {
        String otherOperator = fixtures.token(fixtures.opsUser("ops-admin"));
        Map<String, String> key = Map.of("Idempotency-Key", Fixtures.unique("shared"));
        String slugA = Fixtures.unique("mine");
        String slugB = Fixtures.unique("theirs");

        api.post("/api/v1/ops/tenants", adminToken(), Map.of("name", "A", "slug", slugA), key).expect(201);
        api.post("/api/v1/ops/tenants", otherOperator, Map.of("name", "B", "slug", slugB), key).expect(201);

        assertThat(tenantsWithSlug(slugA) + tenantsWithSlug(slugB)).isEqualTo(2);
    }

    @Test
    void aClientErrorIsReplayedTooSoARetryCannotChangeTheOutcome() {
        String slug = Fixtures.unique("taken");
        api.post("/api/v1/ops/tenants", adminToken(), Map.of("name", "First", "slug", slug)).expect(201);
        Map<String, String> key = Map.of("Idempotency-Key", Fixtures.unique("key"));
        Map<String, Object> body = Map.of("name", "Second", "slug", slug);

        ApiResponse conflict = api.post("/api/v1/ops/tenants", adminToken(), body, key).expectProblem(409, "conflict");
        ApiResponse replayed = api.post("/api/v1/ops/tenants", adminToken(), body, key).expectProblem(409, "conflict");

        assertThat(replayed.text("detail")).isEqualTo(conflict.text("detail"));
        assertThat(replayed.header("Idempotent-Replayed")).isEqualTo("true");
    }

    @Test
    void aKeyWhoseFirstRequestIsStillRunningGets409() {
        String callerId = api.get("/api/v1/me", adminToken()).expect(200).json().path("user").path("id").asString();
        String key = Fixtures.unique("busy");
        String lockName = callerId + "\nPOST\n/api/v1/ops/tenants\n" + new IdempotencyKey(callerId, key).lookupHex();
        Map<String, Object> body = Map.of("name", "Busy", "slug", Fixtures.unique("busy"));

        transaction.executeWithoutResult(tx -> {
            jdbc.sql("select pg_advisory_xact_lock(hashtextextended(:name, 7001))").param("name", lockName).query().singleRow();
            api.post("/api/v1/ops/tenants", adminToken(), body, Map.of("Idempotency-Key", key))
                    .expectProblem(409, "idempotency-in-progress");
        });

        api.post("/api/v1/ops/tenants", adminToken(), body, Map.of("Idempotency-Key", key)).expect(201);
    }

    @Test
    void concurrentDuplicatesCreateExactlyOneObject() throws Exception {
        String slug = Fixtures.unique("race");
        Map<String, String> key = Map.of("Idempotency-Key", Fixtures.unique("race"));
        Map<String, Object> body = Map.of("name", "Race", "slug", slug);
        int parallel = 8;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(parallel);
        try {
            List<Future<ApiResponse>> answers = new ArrayList<>();
            for (int i = 0; i < parallel; i++) {
                answers.add(pool.submit(() -> {
                    start.await();
                    return api.post("/api/v1/ops/tenants", adminToken(), body, key);
                }));
            }
            start.countDown();
            for (Future<ApiResponse> answer : answers) {
                assertThat(answer.get().status()).isIn(201, 409);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(tenantsWithSlug(slug)).isOne();
    }

    @Test
    void storedAnswersAreSealedSoATokenSecretIsNotReadableFromTheDatabase() {
        String member = fixtures.user(fixtures.tenant(), "tenant-member");
        String secret = api.post("/api/v1/users/" + member + "/tokens", adminToken(), Map.of("name", "ci"),
                Map.of("Idempotency-Key", Fixtures.unique("sealed"))).expect(201).text("token");

        List<byte[]> stored = jdbc.sql("select sealed_body from idempotency_record where path = :path")
                .param("path", "/api/v1/users/" + member + "/tokens").query(byte[].class).list();

        assertThat(stored).hasSize(1);
        assertThat(new String(stored.get(0), StandardCharsets.ISO_8859_1)).doesNotContain(secret.substring(14));
    }

    @Test
    void aMalformedKeyIsRefused() {
        api.post("/api/v1/ops/tenants", adminToken(), Map.of("name", "x", "slug", Fixtures.unique("k")),
                Map.of("Idempotency-Key", "x".repeat(256))).expectProblem(400, "malformed-request");
    }

    private int tenantsWithSlug(String slug) {
        return jdbc.sql("select count(*) from tenant where slug = :slug").param("slug", slug).query(Integer.class).single();
    }
}
