package io.freehold.controlplane.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.freehold.controlplane.agentlink.CertificateAuthority;
import io.freehold.controlplane.testing.ApiResponse;
import io.freehold.controlplane.testing.ApiTest;
import io.freehold.controlplane.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/** Ops create join tokens, see the secret once with the command to run, list them without it, and revoke unused ones. */
@ExtendWith(OutputCaptureExtension.class)
class JoinTokenApiTest extends ApiTest {

    /** The loggers an operator turns up to debug a request. */
    private static final List<String> VERBOSE_LOGGERS = List.of("io.freehold", "org.springframework.web");

    @Autowired
    private CertificateAuthority authority;

    @Autowired
    private AgentEndpoint endpoint;

    @Autowired
    private HostRegistry registry;

    @Autowired
    private JdbcClient jdbc;

    @Autowired
    private LoggingSystem logging;

    @Test
    void aNewTokenCarriesItsSecretAndAJoinCommandPinnedToTheCa() {
        String admin = fixtures.adminToken();
        JsonNode created = api.post("/api/v1/ops/join-tokens", admin, Map.of("expiresInMinutes", 30)).expect(201).json();
        String token = created.path("token").asString();
        String secret = token.substring(token.lastIndexOf('_') + 1);

        assertThat(token).startsWith("fhj_" + created.path("prefix").asString() + "_");
        assertThat(created.path("caFingerprint").asString()).isEqualTo(authority.fingerprint());
        // The port the endpoint listens on, never the configured 0 that asked the system to pick one.
        assertThat(endpoint.address()).matches("localhost:[1-9]\\d*");
        assertThat(endpoint.loopbackAddress()).hasValue("127.0.0.1:" + endpoint.address().substring("localhost:".length()));
        assertThat(created.path("joinCommand").asString())
                .isEqualTo("freehold-agent join --server " + endpoint.address() + " --token " + token + " --ca-hash " + authority.fingerprint());
        assertThat(Instant.parse(created.path("expiresAt").asString()))
                .isEqualTo(Instant.parse(created.path("createdAt").asString()).plusSeconds(30 * 60));
        assertThat(created.has("hostId")).isFalse();

        String id = created.path("id").asString();
        JsonNode listed = api.get("/api/v1/ops/join-tokens?limit=500", admin).expect(200).json().path("items");
        assertThat(listed.valueStream().filter(item -> item.path("id").asString().equals(id))).singleElement()
                .satisfies(item -> assertThat(item.path("status").asString()).isEqualTo("pending"));
        List<ApiResponse> reads = List.of(
                api.get("/api/v1/ops/join-tokens?limit=500", admin),
                api.get("/api/v1/audit-events?target=" + id, admin));
        assertThat(reads).allSatisfy(read -> assertThat(read.expect(200).body()).doesNotContain(secret));
        assertThat(reads.get(1).json().path("items").get(0).path("action").asString()).isEqualTo("join-token.create");
    }

    @Test
    void theSecretIsInNoLogLineStoredRowOrAuditDetailEvenAtTraceLevel(CapturedOutput output) {
        String secret;
        String id;
        Map<String, LogLevel> configured = new LinkedHashMap<>();
        VERBOSE_LOGGERS.forEach(logger -> configured.put(logger, logging.getLoggerConfiguration(logger).getConfiguredLevel()));
        try {
            VERBOSE_LOGGERS.forEach(logger -> logging.setLogLevel(logger, LogLevel.TRACE));
            JsonNode created = api.post("/api/v1/ops/join-tokens", fixtures.adminToken(), Map.of(),
                    Map.of("Idempotency-Key", Fixtures.unique("join"))).expect(201).json();
            String token = created.path("token").asString();
            secret = token.substring(token.lastIndexOf('_') + 1);
            id = created.path("id").asString();
        } finally {
            configured.forEach(logging::setLogLevel);
        }

        assertThat(output.getAll()).as("the captured log shows the request, or it proves nothing").contains("/api/v1/ops/join-tokens");
        assertThat(output.getAll()).doesNotContain(secret);
        assertThat(jdbc.sql("select row_to_json(t)::text from join_token t where id = :id").param("id", id).query(String.class).single())
                .doesNotContain(secret);
        assertThat(jdbc.sql("select details::text from audit_event where target = :id").param("id", id).query(String.class).list())
                .isNotEmpty().noneMatch(details -> details.contains(secret));
    }

    @Test
    void aTokenBoundToASlotIsUsedByTheServerThatJoinsIt() {
        String admin = fixtures.adminToken();
        String host = fixtures.host(fixtures.rack(), 1);
        JsonNode created = api.post("/api/v1/ops/join-tokens", admin, Map.of("hostId", host)).expect(201).json();
        assertThat(created.path("hostId").asString()).isEqualTo(host);
        assertThat(Instant.parse(created.path("expiresAt").asString()))
                .isEqualTo(Instant.parse(created.path("createdAt").asString()).plusSeconds(3600));

        assertThat(registry.join(created.path("token").asString(), TestFacts.of("hv-joined", 8, 16, 100), Instant.now())).isEqualTo(host);

        String id = created.path("id").asString();
        JsonNode listed = api.get("/api/v1/ops/join-tokens?limit=500", admin).expect(200).json().path("items").valueStream()
                .filter(item -> item.path("id").asString().equals(id)).findFirst().orElseThrow();
        assertThat(listed.path("status").asString()).isEqualTo("used");
        assertThat(listed.path("usedByHostId").asString()).isEqualTo(host);
        api.delete("/api/v1/ops/join-tokens/" + id, admin).expectProblem(409, "conflict");
        api.post("/api/v1/ops/join-tokens", admin, Map.of("hostId", host)).expectProblem(409, "conflict");
    }

    @Test
    void anUnusedTokenIsRevokedAndThenNobodyCanJoinWithIt() {
        String admin = fixtures.adminToken();
        JsonNode created = api.post("/api/v1/ops/join-tokens", admin, null).expect(201).json();
        String id = created.path("id").asString();

        api.delete("/api/v1/ops/join-tokens/" + id, admin).expect(204);

        api.delete("/api/v1/ops/join-tokens/" + id, admin).expectProblem(404, "not-found");
        assertThat(api.get("/api/v1/audit-events?target=" + id, admin).expect(200).json().path("items").valueStream()
                .map(event -> event.path("action").asString())).containsExactly("join-token.create", "join-token.revoke");
        assertThatThrownBy(() -> registry.join(created.path("token").asString(),
                TestFacts.of("hv-late", 8, 16, 100), Instant.now())).isInstanceOf(JoinRefused.class);
    }

    @Test
    void aTokenForNoSuchHostOrALifetimeOverSevenDaysIsRefused() {
        String admin = fixtures.adminToken();

        assertThat(api.post("/api/v1/ops/join-tokens", admin, Map.of("hostId", "h-01jh8n3d4e5f6g7h8j9k0m1n2p"))
                .expectProblem(422, "validation-failed").json().path("errors").get(0).path("field").asString()).isEqualTo("hostId");
        api.post("/api/v1/ops/join-tokens", admin, Map.of("expiresInMinutes", 10081)).expectProblem(422, "validation-failed");
    }

    @Test
    void aRevokedSlotTakesNoToken() {
        String admin = fixtures.adminToken();
        String host = fixtures.host(fixtures.rack(), 1);
        api.post("/api/v1/ops/hosts/" + host + "/revoke", admin, null).expect(200);

        api.post("/api/v1/ops/join-tokens", admin, Map.of("hostId", host)).expectProblem(409, "conflict");
    }
}
