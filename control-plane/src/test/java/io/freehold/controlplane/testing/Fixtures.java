package io.freehold.controlplane.testing;

import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/** Creates tenants, users and tokens through the API, with names unique within the test JVM. */
public final class Fixtures {

    private static final AtomicLong SEQUENCE = new AtomicLong(System.nanoTime() % 1_000_000_000L);

    private final ApiClient api;
    private final String adminToken;

    public Fixtures(ApiClient api, String adminToken) {
        this.api = api;
        this.adminToken = adminToken;
    }

    public String adminToken() {
        return adminToken;
    }

    public static String unique(String stem) {
        return stem + "-" + SEQUENCE.incrementAndGet();
    }

    /** A new active tenant; returns its id. */
    public String tenant() {
        String slug = unique("tenant");
        return api.post("/api/v1/ops/tenants", adminToken, Map.of("name", "Tenant " + slug, "slug", slug))
                .expect(201).text("id");
    }

    /** A new user of {@code tenantId} with {@code role}, created by the bootstrap operator; returns its id. */
    public String user(String tenantId, String role) {
        String email = unique(role) + "@example.test";
        return api.post("/api/v1/users?tenant=" + tenantId, adminToken,
                        Map.of("email", email, "name", "User " + email, "role", role))
                .expect(201).text("id");
    }

    /** A new operator with {@code role}; returns its id. */
    public String opsUser(String role) {
        String email = unique(role) + "@ops.example.test";
        return api.post("/api/v1/ops/users", adminToken, Map.of("email", email, "name", "Operator " + email, "role", role))
                .expect(201).text("id");
    }

    /** A fresh API token of {@code userId}, minted by the bootstrap operator; returns the secret. */
    public String token(String userId) {
        return api.post("/api/v1/users/" + userId + "/tokens", adminToken, Map.of("name", unique("token")))
                .expect(201).text("token");
    }

    /** A user with {@code role} in {@code tenantId} and a token for it. */
    public Principal principal(String tenantId, String role) {
        String userId = tenantId == null ? opsUser(role) : user(tenantId, role);
        return new Principal(userId, token(userId));
    }

    public record Principal(String userId, String token) {
    }
}
