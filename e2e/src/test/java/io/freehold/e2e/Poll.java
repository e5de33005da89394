package io.freehold.e2e;

import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.function.Predicate;

/**
 * Waiting for an observable outcome by asking again and again until a deadline, never by sleeping a
 * fixed time and hoping. Deadlines count from a moment the caller names (the instant a link was cut,
 * say), so the bound a test asserts is the bound the system must meet, however long the polling took.
 */
final class Poll {

    private static final Duration INTERVAL = Duration.ofMillis(200);

    private Poll() {
    }

    /** What was observed when the wait ended, and how long after the starting moment. */
    record Outcome<T>(T value, Duration elapsed) {

        String seconds() {
            return String.format("%.1f s", elapsed.toMillis() / 1000.0);
        }
    }

    /**
     * Asks {@code probe} until {@code accept} holds for its answer. An exception from the probe counts as
     * "not yet" (a replica still starting, a relay reconnecting) and is reported if the deadline passes.
     *
     * @param since {@link System#nanoTime()} of the moment the deadline counts from
     * @throws AssertionError when {@code limit} after {@code since} passes first, naming the last answer
     */
    static <T> Outcome<T> until(String what, long since, Duration limit, Callable<T> probe, Predicate<? super T> accept)
            throws InterruptedException {
        long deadline = since + limit.toNanos();
        T last = null;
        Exception lastError = null;
        while (true) {
            try {
                last = probe.call();
                lastError = null;
                if (accept.test(last)) {
                    return new Outcome<>(last, Duration.ofNanos(System.nanoTime() - since));
                }
            } catch (InterruptedException e) {
                throw e;
            } catch (Exception e) {
                lastError = e;
            }
            if (System.nanoTime() - deadline >= 0) {
                String seen = lastError != null ? "the last attempt failed: " + lastError : "the last answer was " + last;
                return fail(what + " did not happen within " + limit.toSeconds() + " s; " + seen, lastError);
            }
            Thread.sleep(INTERVAL.toMillis());
        }
    }
}
