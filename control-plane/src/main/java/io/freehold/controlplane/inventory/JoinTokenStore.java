package io.freehold.controlplane.inventory;

import static io.freehold.controlplane.platform.db.SqlTime.instant;
import static io.freehold.controlplane.platform.db.SqlTime.utc;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import io.freehold.controlplane.platform.web.PageRequest;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
class JoinTokenStore {

    /** A stored join token: its hash, slot, expiry and whether it was used. */
    record StoredJoinToken(String id, byte[] secretHash, String hostId, Instant expiresAt, Instant usedAt) {
    }

    private final JdbcClient jdbc;

    JoinTokenStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void insert(String id, String prefix, byte[] secretHash, String hostId, String createdBy, Instant now, Instant expiresAt) {
        jdbc.sql("""
                        insert into join_token (id, prefix, secret_hash, host_id, created_by, created_at, expires_at)
                        values (:id, :prefix, :hash, :host, :createdBy, :now, :expiresAt)
                        """)
                .param("id", id)
                .param("prefix", prefix)
                .param("hash", secretHash)
                .param("host", hostId)
                .param("createdBy", createdBy)
                .param("now", utc(now))
                .param("expiresAt", utc(expiresAt))
                .update();
    }

    /** Locks the token so that two agents presenting it at once cannot both join. */
    Optional<StoredJoinToken> lockByPrefix(String prefix) {
        return jdbc.sql("select id, secret_hash, host_id, expires_at, used_at from join_token where prefix = :prefix for update")
                .param("prefix", prefix)
                .query((rs, n) -> new StoredJoinToken(rs.getString("id"), rs.getBytes("secret_hash"), rs.getString("host_id"),
                        instant(rs, "expires_at"), instant(rs, "used_at")))
                .optional();
    }

    void markUsed(String id, String hostId, Instant now) {
        jdbc.sql("update join_token set used_at = :now, used_by_host_id = :host where id = :id")
                .param("id", id)
                .param("host", hostId)
                .param("now", utc(now))
                .update();
    }

    /** Every token, oldest first, with its status as of {@code now}. */
    List<JoinToken> list(Instant now, PageRequest page) {
        return jdbc.sql("""
                        select id, prefix, host_id, created_by, created_at, expires_at, used_at, used_by_host_id,
                               case when used_at is not null then 'USED' when expires_at <= :now then 'EXPIRED' else 'PENDING' end as status
                          from join_token
                         where (cast(:after as text) is null or id > :after)
                         order by id
                         limit :limit
                        """)
                .param("now", utc(now))
                .param("after", page.after())
                .param("limit", page.fetchSize())
                .query((rs, n) -> new JoinToken(rs.getString("id"), rs.getString("prefix"), rs.getString("host_id"),
                        rs.getString("created_by"), instant(rs, "created_at"), instant(rs, "expires_at"),
                        JoinTokenStatus.valueOf(rs.getString("status")), instant(rs, "used_at"), rs.getString("used_by_host_id")))
                .list();
    }

    /** Locks the token so that revoking it and an agent redeeming it happen one after the other. */
    Optional<StoredJoinToken> lock(String id) {
        return jdbc.sql("select id, secret_hash, host_id, expires_at, used_at from join_token where id = :id for update")
                .param("id", id)
                .query((rs, n) -> new StoredJoinToken(rs.getString("id"), rs.getBytes("secret_hash"), rs.getString("host_id"),
                        instant(rs, "expires_at"), instant(rs, "used_at")))
                .optional();
    }

    void delete(String id) {
        jdbc.sql("delete from join_token where id = :id").param("id", id).update();
    }
}
