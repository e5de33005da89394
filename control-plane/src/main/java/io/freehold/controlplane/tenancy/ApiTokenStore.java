package io.freehold.controlplane.tenancy;

import static io.freehold.controlplane.platform.db.SqlTime.instant;
import static io.freehold.controlplane.platform.db.SqlTime.utc;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import io.freehold.controlplane.platform.security.Role;
import io.freehold.controlplane.platform.web.PageRequest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
class ApiTokenStore {

    /** Last-used times are kept to this precision, so busy tokens don't write on every request. */
    static final Duration LAST_USED_PRECISION = Duration.ofMinutes(1);
    private static final String COLUMNS =
            "t.id, t.user_id, t.tenant_id, t.name, t.prefix, t.created_by, t.created_at, t.expires_at, t.revoked_at, t.last_used_at";

    /** What authentication needs about a token: its hash, its state, its user's role and tenant status. */
    record Credential(ApiToken token, byte[] secretHash, Role role, TenantStatus tenantStatus, String suspendedReason) {
    }

    private final JdbcClient jdbc;

    ApiTokenStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void insert(ApiToken token, byte[] secretHash) {
        jdbc.sql("""
                        insert into api_token (id, user_id, tenant_id, name, prefix, secret_hash, created_by, created_at, expires_at)
                        values (:id, :user, :tenant, :name, :prefix, :hash, :createdBy, :createdAt, :expiresAt)
                        """)
                .param("id", token.id())
                .param("user", token.userId())
                .param("tenant", token.tenantId())
                .param("name", token.name())
                .param("prefix", token.prefix())
                .param("hash", secretHash)
                .param("createdBy", token.createdBy())
                .param("createdAt", utc(token.createdAt()))
                .param("expiresAt", utc(token.expiresAt()))
                .update();
    }

    Optional<Credential> findCredential(String prefix) {
        return jdbc.sql("select " + COLUMNS + """
                        , t.secret_hash, u.role, tn.status as tenant_status, tn.suspended_reason
                          from api_token t
                          join app_user u on u.id = t.user_id
                          left join tenant tn on tn.id = t.tenant_id
                         where t.prefix = :prefix
                        """)
                .param("prefix", prefix)
                .query((rs, n) -> new Credential(map(rs, n), rs.getBytes("secret_hash"), Role.fromWireName(rs.getString("role")),
                        rs.getString("tenant_status") == null ? null : TenantStatus.fromWireName(rs.getString("tenant_status")),
                        rs.getString("suspended_reason")))
                .optional();
    }

    List<ApiToken> listForUser(String userId, PageRequest page) {
        return jdbc.sql("select " + COLUMNS + """
                         from api_token t
                        where t.user_id = :user
                          and (cast(:after as text) is null or t.id > :after)
                        order by t.id
                        limit :limit
                        """)
                .param("user", userId)
                .param("after", page.after())
                .param("limit", page.fetchSize())
                .query(ApiTokenStore::map)
                .list();
    }

    Optional<ApiToken> findForUser(String userId, String tokenId) {
        return jdbc.sql("select " + COLUMNS + " from api_token t where t.id = :id and t.user_id = :user")
                .param("id", tokenId)
                .param("user", userId)
                .query(ApiTokenStore::map)
                .optional();
    }

    /** Revokes once: a second revoke keeps the first time. */
    void revoke(String tokenId, Instant now) {
        jdbc.sql("update api_token set revoked_at = coalesce(revoked_at, :now) where id = :id")
                .param("id", tokenId)
                .param("now", utc(now))
                .update();
    }

    void touch(String tokenId, Instant now) {
        jdbc.sql("""
                        update api_token set last_used_at = :now
                        where id = :id and (last_used_at is null or last_used_at < :stale)
                        """)
                .param("id", tokenId)
                .param("now", utc(now))
                .param("stale", utc(now.minus(LAST_USED_PRECISION)))
                .update();
    }

    private static ApiToken map(ResultSet rs, int row) throws SQLException {
        return new ApiToken(rs.getString("id"), rs.getString("user_id"), rs.getString("tenant_id"), rs.getString("name"),
                rs.getString("prefix"), rs.getString("created_by"), instant(rs, "created_at"), instant(rs, "expires_at"),
                instant(rs, "revoked_at"), instant(rs, "last_used_at"));
    }
}
