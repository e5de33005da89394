package io.freehold.controlplane.platform.web;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

import static io.freehold.controlplane.platform.db.SqlTime.utc;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Repository;

/**
 * First answers to idempotent POSTs, kept {@value #RETENTION_HOURS} hours. All methods must run inside
 * the request's transaction: the transaction-scoped advisory lock is what makes a concurrent duplicate
 * see "in progress" instead of running twice.
 */
@Repository
class IdempotencyStore {

    static final int RETENTION_HOURS = 24;
    private static final Duration RETENTION = Duration.ofHours(RETENTION_HOURS);

    record Scope(String callerId, String method, String path, IdempotencyKey key) {
        String lockName() {
            return callerId + '\n' + method + '\n' + path + '\n' + key.lookupHex();
        }

        String sealingContext() {
            return method + ' ' + path;
        }
    }

    record Record(byte[] fingerprint, StoredResponse response) {
    }

    private final JdbcClient jdbc;
    private final Clock clock;

    IdempotencyStore(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** @return false when another transaction holds the key right now */
    boolean tryLock(Scope scope) {
        return jdbc.sql("select pg_try_advisory_xact_lock(hashtextextended(:name, 7001))")
                .param("name", scope.lockName())
                .query(Boolean.class)
                .single();
    }

    Optional<Record> find(Scope scope) {
        return jdbc.sql("""
                        select fingerprint, status, content_type, location, sealed_body from idempotency_record
                        where caller_id = :caller and method = :method and path = :path and key_hash = :key
                          and created_at > :cutoff
                        """)
                .param("caller", scope.callerId())
                .param("method", scope.method())
                .param("path", scope.path())
                .param("key", scope.key().lookupHash())
                .param("cutoff", utc(clock.instant().minus(RETENTION)))
                .query((rs, n) -> new Record(rs.getBytes("fingerprint"), new StoredResponse(rs.getInt("status"),
                        rs.getString("content_type"), rs.getString("location"),
                        scope.key().open(rs.getBytes("sealed_body"), scope.sealingContext()))))
                .optional();
    }

    void save(Scope scope, byte[] fingerprint, StoredResponse response) {
        jdbc.sql("""
                        insert into idempotency_record (caller_id, method, path, key_hash, fingerprint, status,
                                                        content_type, location, sealed_body, created_at)
                        values (:caller, :method, :path, :key, :fingerprint, :status, :contentType, :location, :body, :now)
                        on conflict (caller_id, method, path, key_hash) do update
                          set fingerprint = excluded.fingerprint, status = excluded.status,
                              content_type = excluded.content_type, location = excluded.location,
                              sealed_body = excluded.sealed_body, created_at = excluded.created_at
                          where idempotency_record.created_at <= :cutoff
                        """)
                .param("caller", scope.callerId())
                .param("method", scope.method())
                .param("path", scope.path())
                .param("key", scope.key().lookupHash())
                .param("fingerprint", fingerprint)
                .param("status", response.status())
                .param("contentType", response.contentType())
                .param("location", response.location())
                .param("body", scope.key().seal(response.body(), scope.sealingContext()))
                .param("now", utc(clock.instant()))
                .param("cutoff", utc(clock.instant().minus(RETENTION)))
                .update();
    }

    /** Forgets expired answers; every replica may run it, the delete is idempotent. */
    @Scheduled(fixedDelayString = "PT1H", initialDelayString = "PT1M")
    void purgeExpired() {
        jdbc.sql("delete from idempotency_record where created_at <= :cutoff")
                .param("cutoff", utc(clock.instant().minus(RETENTION)))
                .update();
    }
}
