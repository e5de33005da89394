package io.freehold.controlplane.tenancy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;

import io.freehold.controlplane.testing.ApiResponse;
import io.freehold.controlplane.testing.ApiTest;
import io.freehold.controlplane.testing.Fixtures;
import io.freehold.controlplane.testing.Fixtures.Principal;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.crypto.password.PasswordEncoder;

/** Users and API tokens as tenant-admins and their users manage them. */
class UserAndTokenApiTest extends ApiTest {

    @Autowired
    JdbcClient jdbc;

    @Autowired
    PasswordEncoder passwords;

    @Test
    void aTenantAdminCreatesAUserAndAToken() {
        Principal admin = fixtures.principal(fixtures.tenant(), "tenant-admin");
        String email = Fixtures.unique("dev") + "@example.test";

        ApiResponse created = api.post("/api/v1/users", admin.token(),
                Map.of("email", email, "name", "Dev", "role", "tenant-member", "password", "correct horse battery")).expect(201);
        String userId = created.text("id");
        assertThat(created.header("Location")).isEqualTo("/api/v1/users/" + userId);
        assertThat(created.json().path("hasPassword").asBoolean()).isTrue();
        assertThat(created.body()).doesNotContain("correct horse battery");

        ApiResponse token = api.post("/api/v1/users/" + userId + "/tokens", admin.token(), Map.of("name", "ci", "expiresInDays", 7))
                .expect(201);
        assertThat(token.text("token")).startsWith("fh_" + token.text("prefix") + "_");
        assertThat(Instant.parse(token.text("expiresAt"))).isBetween(Instant.now().plus(6, ChronoUnit.DAYS), Instant.now().plus(8, ChronoUnit.DAYS));

        ApiResponse me = api.get("/api/v1/me", token.text("token")).expect(200);
        assertThat(me.json().path("user").path("id").asString()).isEqualTo(userId);
        assertThat(me.json().path("user").path("role").asString()).isEqualTo("tenant-member");
    }

    @Test
    void passwordsAreStoredWithAnAdaptiveHash() {
        Principal admin = fixtures.principal(fixtures.tenant(), "tenant-admin");
        String userId = api.post("/api/v1/users", admin.token(), Map.of("email", Fixtures.unique("p") + "@example.test",
                "name", "P", "role", "tenant-viewer", "password", "a long enough secret")).expect(201).text("id");

        String hash = jdbc.sql("select password_hash from app_user where id = :id").param("id", userId).query(String.class).single();

        assertThat(hash).startsWith("$2a$12$");
        assertThat(passwords.matches("a long enough secret", hash)).isTrue();
    }

    @Test
    void emailsAreUniqueIgnoringCase() {
        String tenant = fixtures.tenant();
        String email = Fixtures.unique("Same") + "@Example.test";
        api.post("/api/v1/users?tenant=" + tenant, adminToken(), Map.of("email", email, "name", "A", "role", "tenant-viewer")).expect(201);

        ApiResponse duplicate = api.post("/api/v1/users?tenant=" + fixtures.tenant(), adminToken(),
                Map.of("email", email.toLowerCase(), "name", "B", "role", "tenant-viewer"));

        duplicate.expectProblem(409, "conflict");
        assertThat(duplicate.json().path("errors").get(0).path("field").asString()).isEqualTo("email");
    }

    @Test
    void roleAndTenantMustFitTogether() {
        Principal admin = fixtures.principal(fixtures.tenant(), "tenant-admin");
        api.post("/api/v1/users", admin.token(), Map.of("email", Fixtures.unique("x") + "@example.test", "name", "X", "role", "ops-admin"))
                .expectProblem(422, "validation-failed");
        api.post("/api/v1/ops/users", adminToken(), Map.of("email", Fixtures.unique("y") + "@example.test", "name", "Y", "role", "tenant-admin"))
                .expectProblem(422, "validation-failed");
        assertThat(api.post("/api/v1/users", adminToken(), Map.of("email", Fixtures.unique("z") + "@example.test", "name", "Z", "role", "tenant-admin"))
                .expectProblem(400, "malformed-request").json().path("errors").get(0).path("field").asString()).isEqualTo("tenant");
    }

    @Test
    void theLastTenantAdminCanBeNeitherDeletedNorDemoted() {
        String tenant = fixtures.tenant();
        Principal admin = fixtures.principal(tenant, "tenant-admin");

        api.delete("/api/v1/users/" + admin.userId(), admin.token()).expectProblem(409, "conflict");
        api.patch("/api/v1/users/" + admin.userId(), admin.token(), Map.of("role", "tenant-member")).expectProblem(409, "conflict");

        Principal second = fixtures.principal(tenant, "tenant-admin");
        api.patch("/api/v1/users/" + admin.userId(), second.token(), Map.of("role", "tenant-member")).expect(200);
        api.get("/api/v1/users/" + admin.userId(), second.token()).expect(200);
        assertThat(api.get("/api/v1/users/" + admin.userId(), second.token()).text("role")).isEqualTo("tenant-member");
    }

    @Test
    void aUserMayRenameItselfAndChangeItsPasswordButNotItsRole() {
        Principal viewer = fixtures.principal(fixtures.tenant(), "tenant-viewer");

        assertThat(api.patch("/api/v1/users/" + viewer.userId(), viewer.token(), Map.of("name", "New Name", "password", "twelve chars!!"))
                .expect(200).text("name")).isEqualTo("New Name");
        api.patch("/api/v1/users/" + viewer.userId(), viewer.token(), Map.of("role", "tenant-admin")).expectProblem(403, "forbidden");
    }

    @Test
    void deletingAUserRevokesItsTokens() {
        String tenant = fixtures.tenant();
        Principal admin = fixtures.principal(tenant, "tenant-admin");
        Principal member = fixtures.principal(tenant, "tenant-member");

        api.delete("/api/v1/users/" + member.userId(), admin.token()).expect(204);

        api.get("/api/v1/me", member.token()).expectProblem(401, "unauthenticated");
        api.get("/api/v1/users/" + member.userId(), admin.token()).expectProblem(404, "not-found");
    }

    @Test
    void aRevokedTokenStopsWorkingAndSaysSo() {
        Principal member = fixtures.principal(fixtures.tenant(), "tenant-member");
        ApiResponse second = api.post("/api/v1/me/tokens", member.token(), Map.of("name", "laptop")).expect(201);

        api.delete("/api/v1/me/tokens/" + second.text("id"), member.token()).expect(204);
        api.delete("/api/v1/me/tokens/" + second.text("id"), member.token()).expect(204);

        assertThat(api.get("/api/v1/me", second.text("token")).expectProblem(401, "unauthenticated").text("detail")).contains("revoked");
        ApiResponse listed = api.get("/api/v1/me/tokens", member.token()).expect(200);
        assertThat(listed.json().path("items").valueStream()
                .filter(token -> token.path("id").asString().equals(second.text("id")))
                .map(token -> token.has("revokedAt"))).containsExactly(true);
    }

    @Test
    void anExpiredTokenIsRefusedWithItsExpiry() {
        Principal member = fixtures.principal(fixtures.tenant(), "tenant-member");
        ApiResponse token = api.post("/api/v1/me/tokens", member.token(), Map.of("name", "short")).expect(201);
        jdbc.sql("update api_token set expires_at = now() - interval '1 minute' where id = :id").param("id", token.text("id")).update();

        assertThat(api.get("/api/v1/me", token.text("token")).expectProblem(401, "unauthenticated").text("detail")).contains("expired");
    }

    @Test
    void tokensRecordWhenTheyWereLastUsed() {
        Principal member = fixtures.principal(fixtures.tenant(), "tenant-member");
        String tokenId = api.get("/api/v1/me", member.token()).expect(200).text("tokenId");

        ApiResponse listed = api.get("/api/v1/me/tokens", member.token()).expect(200);

        assertThat(listed.json().path("items").valueStream()
                .filter(token -> token.path("id").asString().equals(tokenId))
                .map(token -> token.path("lastUsedAt").asString())).singleElement().isNotNull().isNotEqualTo("");
    }

    @Test
    void aMemberCannotMintTokensForOthersButAnAdminCan() {
        String tenant = fixtures.tenant();
        Principal admin = fixtures.principal(tenant, "tenant-admin");
        Principal member = fixtures.principal(tenant, "tenant-member");
        Principal other = fixtures.principal(tenant, "tenant-viewer");

        api.post("/api/v1/users/" + other.userId() + "/tokens", member.token(), Map.of("name", "sneaky")).expectProblem(403, "forbidden");
        api.get("/api/v1/users/" + other.userId() + "/tokens", member.token()).expectProblem(403, "forbidden");
        api.post("/api/v1/users/" + other.userId() + "/tokens", admin.token(), Map.of("name", "granted")).expect(201);
    }

    @Test
    void listsArePagedWithOpaqueCursors() {
        String tenant = fixtures.tenant();
        for (int i = 0; i < 5; i++) {
            fixtures.user(tenant, "tenant-viewer");
        }
        ApiResponse first = api.get("/api/v1/users?tenant=" + tenant + "&limit=2", adminToken()).expect(200);
        ApiResponse second = api.get("/api/v1/users?tenant=" + tenant + "&limit=2&cursor=" + first.text("nextCursor"), adminToken()).expect(200);
        ApiResponse third = api.get("/api/v1/users?tenant=" + tenant + "&limit=2&cursor=" + second.text("nextCursor"), adminToken()).expect(200);

        assertThat(first.json().path("items").size()).isEqualTo(2);
        assertThat(second.json().path("items").size()).isEqualTo(2);
        assertThat(third.json().path("items").size()).isEqualTo(1);
        assertThat(third.json().path("nextCursor").isNull()).isTrue();
        assertThat(second.json().path("items").get(0).path("id").asString())
                .isGreaterThan(first.json().path("items").get(1).path("id").asString());
    }
}
