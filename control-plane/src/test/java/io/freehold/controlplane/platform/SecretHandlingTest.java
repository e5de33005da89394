package io.freehold.controlplane.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.freehold.controlplane.testing.ApiResponse;
import io.freehold.controlplane.testing.ApiTest;
import io.freehold.controlplane.testing.Fixtures;
import io.freehold.controlplane.testing.Fixtures.Principal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * An API token's secret exists in one place outside its holder: the response that created it. Lists,
 * reads and the audit log show only the public prefix, the database keeps a hash, and the log never
 * prints it, not even with the application's and Spring MVC's most verbose logging switched on.
 */
@ExtendWith(OutputCaptureExtension.class)
class SecretHandlingTest extends ApiTest {

    /** The loggers an operator turns up to debug a request; Tomcat's wire log is out of scope. */
    private static final List<String> VERBOSE_LOGGERS = List.of("io.freehold", "org.springframework.web");

    @Autowired
    private JdbcClient jdbc;

    @Autowired
    private LoggingSystem logging;

    @Test
    void theSecretIsInTheCreateResponseAndInNoListReadOrAuditEvent() {
        String tenant = fixtures.tenant();
        Principal admin = fixtures.principal(tenant, "tenant-admin");
        String member = fixtures.user(tenant, "tenant-member");

        ApiResponse created = api.post("/api/v1/users/" + member + "/tokens", admin.token(), Map.of("name", "ci")).expect(201);
        String token = created.text("token");
        String tokenId = created.text("id");
        assertThat(token).startsWith("fh_" + created.text("prefix") + "_");
        String secret = secretOf(token);
        String ownTokenId = api.post("/api/v1/me/tokens", token, Map.of("name", "laptop")).expect(201).text("id");
        api.delete("/api/v1/users/" + member + "/tokens/" + ownTokenId, admin.token()).expect(204);

        JsonNode listed = api.get("/api/v1/users/" + member + "/tokens", admin.token()).expect(200).json().path("items");
        assertThat(listed.valueStream().map(item -> item.path("id").asString())).contains(tokenId, ownTokenId);
        assertThat(listed.valueStream()).allSatisfy(item -> assertThat(item.has("token")).as("token field in %s", item).isFalse());

        List<ApiResponse> reads = List.of(
                api.get("/api/v1/users/" + member + "/tokens", admin.token()),
                api.get("/api/v1/me/tokens", token),
                api.get("/api/v1/me", token),
                api.get("/api/v1/users/" + member, token),
                api.get("/api/v1/audit-events?target=" + tokenId, admin.token()),
                api.get("/api/v1/audit-events?tenant=" + tenant, fixtures.adminToken()));
        for (ApiResponse read : reads) {
            assertThat(read.body()).as("a read answered %d", read.status()).doesNotContain(secret);
        }
        assertThat(reads.get(4).expect(200).json().path("items").valueStream().map(event -> event.path("action").asString()))
                .as("the audit events read above include the token's creation")
                .containsExactly("token.create");
    }

    @Test
    void theDatabaseKeepsAHashOfTheSecretNeverTheTokenItself() {
        Principal member = fixtures.principal(fixtures.tenant(), "tenant-member");
        ApiResponse created = api.post("/api/v1/me/tokens", member.token(), Map.of("name", "ci")).expect(201);
        String token = created.text("token");
        String secret = secretOf(token);

        byte[] hash = jdbc.sql("select secret_hash from api_token where id = :id").param("id", created.text("id"))
                .query(byte[].class).single();
        assertThat(hash).as("stored secret_hash").isNotEmpty()
                .isNotEqualTo(token.getBytes(StandardCharsets.US_ASCII))
                .isNotEqualTo(secret.getBytes(StandardCharsets.US_ASCII));
        assertThat(new String(hash, StandardCharsets.ISO_8859_1)).doesNotContain(secret);

        String row = jdbc.sql("select row_to_json(t)::text from api_token t where id = :id").param("id", created.text("id"))
                .query(String.class).single();
        assertThat(row).as("every column of the token's row").doesNotContain(secret);
        List<String> auditDetails = jdbc.sql("select details::text from audit_event where target = :id")
                .param("id", created.text("id")).query(String.class).list();
        assertThat(auditDetails).as("audit details of the token").isNotEmpty().noneMatch(details -> details.contains(secret));
    }

    @Test
    void theLogNeverShowsATokenEvenAtTraceLevel(CapturedOutput output) {
        String userId = fixtures.user(fixtures.tenant(), "tenant-member");
        List<String> secrets = new ArrayList<>();
        Map<String, LogLevel> configured = new LinkedHashMap<>();
        VERBOSE_LOGGERS.forEach(logger -> configured.put(logger, logging.getLoggerConfiguration(logger).getConfiguredLevel()));
        try {
            VERBOSE_LOGGERS.forEach(logger -> logging.setLogLevel(logger, LogLevel.TRACE));
            String token = api.post("/api/v1/users/" + userId + "/tokens", fixtures.adminToken(), Map.of("name", "ci"))
                    .expect(201).text("token");
            String forged = token.substring(0, token.lastIndexOf('_') + 1) + "0".repeat(secretOf(token).length());
            secrets.add(secretOf(token));
            secrets.add(forged);
            api.get("/api/v1/me", token).expect(200);
            secrets.add(secretOf(api.post("/api/v1/me/tokens", token, Map.of("name", Fixtures.unique("second"))).expect(201).text("token")));
            api.post("/api/v1/ops/tenants", token, Map.of("name", "Not allowed", "slug", Fixtures.unique("denied"))).expect(403);
            api.get("/api/v1/me", forged).expect(401);
        } finally {
            configured.forEach(logging::setLogLevel);
        }

        String log = output.getAll();
        assertThat(log.contains("/api/v1/me")).as("the captured log shows the requests, or it proves nothing").isTrue();
        assertThat(log.lines().filter(line -> secrets.stream().anyMatch(line::contains)))
                .as("log lines showing a token")
                .isEmpty();
    }

    /** The part after the public prefix: {@code fh_<prefix>_<secret>}. */
    private static String secretOf(String token) {
        return token.substring(token.lastIndexOf('_') + 1);
    }
}
