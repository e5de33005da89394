package io.freehold.controlplane.platform.queue;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import io.freehold.controlplane.testing.ApiTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** The work queue on real PostgreSQL: claims exclude each other, retries back off, sweeps never hurry a waiting key. */
class WorkQueueTest extends ApiTest {

    private static final Instant NOW = Instant.parse("2026-11-28T10:00:00Z");

    @Autowired
    private WorkQueue queue;
    @Autowired
    private PlatformTransactionManager transactions;

    /** Each test its own kind, since tests share the database. */
    private static String kind() {
        StringBuilder kind = new StringBuilder("test-");
        ThreadLocalRandom.current().ints(12, 'a', 'z' + 1).forEach(c -> kind.append((char) c));
        return kind.toString();
    }

    @Test
    void twoClaimersHoldingTheirTransactionsOpenNeverGetTheSameKey() throws Exception {
        String kind = kind();
        List<String> keys = IntStream.range(0, 40).mapToObj(i -> "key-" + i).toList();
        run(() -> keys.forEach(key -> queue.enqueue(kind, key, NOW)));

        CountDownLatch bothClaimed = new CountDownLatch(2);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        List<Future<List<String>>> claims = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            claims.add(pool.submit(() -> new TransactionTemplate(transactions).execute(tx -> {
                List<String> mine = queue.claim(kind, 25, NOW).stream().map(WorkQueue.Item::key).toList();
                bothClaimed.countDown();
                try {
                    // Both transactions are open at once, each holding its claim.
                    assertThat(bothClaimed.await(10, TimeUnit.SECONDS)).isTrue();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                return mine;
            })));
        }
        List<String> first = claims.get(0).get(20, TimeUnit.SECONDS);
        List<String> second = claims.get(1).get(20, TimeUnit.SECONDS);
        pool.shutdown();

        Set<String> overlap = new HashSet<>(first);
        overlap.retainAll(second);
        assertThat(overlap).as("keys both claimers got").isEmpty();
        assertThat(first.size() + second.size()).as("all 40 keys, 25 at most each").isEqualTo(40);
        assertThat(inTransaction(() -> queue.claim(kind, 100, NOW))).as("rolled back claims leave every key due").hasSize(40);
    }

    @Test
    void aRetriedKeyWaitsLongerEachTimeAndACompletedOneIsGone() {
        String kind = kind();
        run(() -> queue.enqueue(kind, "k", NOW));

        Instant firstDue = inTransaction(() -> queue.retryLater(queue.claim(kind, 10, NOW).get(0), NOW));
        assertThat(firstDue).isEqualTo(NOW.plusSeconds(1));
        assertThat(inTransaction(() -> queue.claim(kind, 10, NOW.plusMillis(999)))).as("not due yet").isEmpty();
        Instant secondDue = inTransaction(() -> queue.retryLater(queue.claim(kind, 10, firstDue).get(0), firstDue));
        assertThat(Duration.between(firstDue, secondDue)).isEqualTo(Duration.ofSeconds(2));
        assertThat(WorkQueue.backoff(20)).as("capped").isEqualTo(Duration.ofSeconds(60));

        run(() -> queue.complete(queue.claim(kind, 10, secondDue).get(0)));
        assertThat(inTransaction(() -> queue.claim(kind, 10, NOW.plus(Duration.ofDays(1))))).isEmpty();
    }

    @Test
    void anEventHurriesAWaitingKeyButASweepLeavesItsBackoffAlone() {
        String kind = kind();
        run(() -> queue.enqueue(kind, "waiting", NOW));
        inTransaction(() -> queue.retryLater(queue.claim(kind, 10, NOW).get(0), NOW));

        int added = inTransaction(() -> queue.enqueueMissing(kind, List.of("waiting", "missing"), NOW));
        assertThat(added).as("only the missing key").isEqualTo(1);
        assertThat(inTransaction(() -> queue.claim(kind, 10, NOW))).extracting(WorkQueue.Item::key).containsExactly("missing");

        run(() -> queue.enqueue(kind, "waiting", NOW));
        assertThat(inTransaction(() -> queue.claim(kind, 10, NOW))).extracting(WorkQueue.Item::key)
                .containsExactlyInAnyOrder("missing", "waiting");
    }

    @Test
    void queueingManyKeysHurriesTheWaitingOnesAndCountsEachOnce() {
        String kind = kind();
        run(() -> queue.enqueue(kind, "waiting", NOW));
        inTransaction(() -> queue.retryLater(queue.claim(kind, 10, NOW).get(0), NOW));
        List<String> many = IntStream.range(0, 2500).mapToObj(i -> "key-" + i).toList();
        List<String> keys = new ArrayList<>(many);
        keys.add("waiting");
        keys.add("key-7");

        int queued = inTransaction(() -> queue.enqueue(kind, keys, NOW));

        assertThat(queued).as("2500 new, the waiting one hurried, a repeat counted once").isEqualTo(2501);
        assertThat(inTransaction(() -> queue.claim(kind, 3000, NOW))).as("every one due now").hasSize(2501);
    }

    @Test
    void theOldestDueKeyIsTheOneThatHasWaitedLongestAndKeysInBackoffAreNotDue() {
        String kind = kind();
        assertThat(inTransaction(() -> queue.oldestDue(kind, NOW))).as("nothing queued").isEmpty();
        run(() -> queue.enqueue(kind, "older", NOW.minusSeconds(90)));
        run(() -> queue.enqueue(kind, "newer", NOW.minusSeconds(30)));
        run(() -> queue.enqueue(kind, "later", NOW.plusSeconds(30)));

        assertThat(inTransaction(() -> queue.oldestDue(kind, NOW))).contains(NOW.minusSeconds(90));
        assertThat(inTransaction(() -> queue.oldestDue(kind, NOW.minusSeconds(100)))).as("none due yet").isEmpty();

        inTransaction(() -> queue.retryLater(queue.claim(kind, 1, NOW).get(0), NOW));
        assertThat(inTransaction(() -> queue.oldestDue(kind, NOW))).as("the older key backs off").contains(NOW.minusSeconds(30));
    }

    private <T> T inTransaction(java.util.function.Supplier<T> work) {
        return new TransactionTemplate(transactions).execute(tx -> work.get());
    }

    private void run(Runnable work) {
        new TransactionTemplate(transactions).executeWithoutResult(tx -> work.run());
    }
}
