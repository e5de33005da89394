package io.freehold.controlplane.platform.queue;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

import org.springframework.stereotype.Component;

/**
 * The reconcilers' work queue (ARCHITECTURE §3.2): keys of objects to look at again, one row per
 * {@code (kind, key)}. Every method joins the caller's transaction.
 *
 * <p>Events only {@link #enqueue} a key, in the transaction of the change that caused them, so the key is
 * queued exactly when the change commits. A reconciler {@link #claim claims} due keys, which locks their
 * rows until its transaction ends and hides them from every other claimer ({@code SKIP LOCKED}), then in
 * the same transaction either {@link #complete completes} each key or {@link #retryLater retries} it. A
 * claimer that dies rolls back, and its keys are due again at once. An enqueue of a key that is claimed
 * waits for the claimer to finish and then queues the key again, so no change is ever missed; to keep
 * lock order (queue row, then object) and avoid deadlocks, a change enqueues before it locks its object.
 */
@Component
public class WorkQueue {

    /** The first retry waits this long; each further one twice as long, up to {@link #MAX_BACKOFF}. */
    static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);
    static final Duration MAX_BACKOFF = Duration.ofSeconds(60);
    /** Keys per statement when queueing many. */
    private static final int CHUNK = 1000;

    private final WorkQueueStore store;

    WorkQueue(WorkQueueStore store) {
        this.store = store;
    }

    /** A claimed key; {@code attempts} counts the earlier retries. */
    public record Item(String kind, String key, int attempts, Instant enqueuedAt) {
    }

    /** Queues the key, due at {@code now}; a key already queued becomes due now if it was due later. */
    public void enqueue(String kind, String key, Instant now) {
        store.upsert(kind, List.of(key), now, true);
    }

    /**
     * Queues every key, due at {@code now}, as {@link #enqueue(String, String, Instant)} does one: a key already queued
     * becomes due now if it was due later, backoff or not. Keys are written in sorted chunks, so statements stay small
     * and two callers lock rows in one order.
     *
     * @return how many keys are now queued (new or hurried), which is all of them
     */
    public int enqueue(String kind, Collection<String> keys, Instant now) {
        List<String> sorted = keys.stream().sorted().distinct().toList();
        int queued = 0;
        for (int from = 0; from < sorted.size(); from += CHUNK) {
            queued += store.upsert(kind, sorted.subList(from, Math.min(sorted.size(), from + CHUNK)), now, true);
        }
        return queued;
    }

    /**
     * Queues each key not queued yet, due at {@code now}; keys already queued keep their time and backoff,
     * so a periodic sweep never hurries a key that is waiting on purpose.
     *
     * @return how many keys were added
     */
    public int enqueueMissing(String kind, Collection<String> keys, Instant now) {
        return keys.isEmpty() ? 0 : store.upsert(kind, keys.stream().sorted().toList(), now, false);
    }

    /**
     * Claims up to {@code limit} keys of {@code kind} due at {@code now}, the longest-due first, locked until
     * the transaction ends. Two claimers never get the same key.
     */
    public List<Item> claim(String kind, int limit, Instant now) {
        return store.claim(kind, limit, now);
    }

    /**
     * When the key of {@code kind} that has waited longest became due, among those due at {@code now}; empty when none
     * is due. Keys waiting out a backoff are not due. One index lookup.
     */
    public Optional<Instant> oldestDue(String kind, Instant now) {
        return store.oldestDue(kind, now);
    }

    /** Removes a claimed key: nothing more to do until the next event. */
    public void complete(Item item) {
        store.delete(item.kind(), item.key());
    }

    /** {@link #complete} for several claimed keys of one kind, in one statement. */
    public void completeAll(String kind, Collection<Item> items) {
        if (!items.isEmpty()) {
            store.deleteAll(kind, items.stream().map(Item::key).sorted().toList());
        }
    }

    /** Keeps a claimed key, due again after a backoff that doubles with each attempt. @return when it is due */
    public Instant retryLater(Item item, Instant now) {
        Instant due = now.plus(backoff(item.attempts()));
        store.postpone(item.kind(), item.key(), due);
        return due;
    }

    /** 1 s, 2 s, 4 s … at most 60 s. */
    static Duration backoff(int attempts) {
        int doublings = Math.min(attempts, 6);
        Duration delay = FIRST_BACKOFF.multipliedBy(1L << doublings);
        return delay.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : delay;
    }
}
