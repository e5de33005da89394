package io.freehold.controlplane.platform.queue;

import static io.freehold.controlplane.platform.db.SqlTime.instant;
import static io.freehold.controlplane.platform.db.SqlTime.utc;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
class WorkQueueStore {

    private final JdbcClient jdbc;

    WorkQueueStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Inserts the keys, in the order given (callers sort them, so two upserts lock rows in one order).
     *
     * @param hurry whether a key already queued becomes due at {@code now} when it was due later
     * @return how many rows were inserted or changed
     */
    int upsert(String kind, List<String> keys, Instant now, boolean hurry) {
        String conflict = hurry
                ? "on conflict (kind, key) do update set not_before = least(work_queue.not_before, excluded.not_before)"
                : "on conflict (kind, key) do nothing";
        return jdbc.sql("""
                        insert into work_queue (kind, key, not_before, attempts, enqueued_at)
                        select :kind, k.key, :now, 0, :now from unnest(cast(:keys as text[])) with ordinality as k(key, n)
                        order by k.n
                        """ + conflict)
                .param("kind", kind)
                .param("keys", keys.toArray(String[]::new))
                .param("now", utc(now))
                .update();
    }

    List<WorkQueue.Item> claim(String kind, int limit, Instant now) {
        return jdbc.sql("""
                        select kind, key, attempts, enqueued_at
                          from work_queue
                         where kind = :kind and not_before <= :now
                         order by not_before, key
                         limit :limit
                           for update skip locked
                        """)
                .param("kind", kind)
                .param("now", utc(now))
                .param("limit", limit)
                .query((rs, row) -> new WorkQueue.Item(rs.getString("kind"), rs.getString("key"), rs.getInt("attempts"),
                        instant(rs, "enqueued_at")))
                .list();
    }

    Optional<Instant> oldestDue(String kind, Instant now) {
        return jdbc.sql("select not_before from work_queue where kind = :kind and not_before <= :now order by not_before limit 1")
                .param("kind", kind)
                .param("now", utc(now))
                .query((rs, row) -> instant(rs, "not_before"))
                .optional();
    }

    void delete(String kind, String key) {
        jdbc.sql("delete from work_queue where kind = :kind and key = :key").param("kind", kind).param("key", key).update();
    }

    void deleteAll(String kind, List<String> keys) {
        jdbc.sql("delete from work_queue where kind = :kind and key = any(cast(:keys as text[]))")
                .param("kind", kind)
                .param("keys", keys.toArray(String[]::new))
                .update();
    }

    void postpone(String kind, String key, Instant due) {
        jdbc.sql("update work_queue set not_before = :due, attempts = attempts + 1 where kind = :kind and key = :key")
                .param("kind", kind)
                .param("key", key)
                .param("due", utc(due))
                .update();
    }
}
