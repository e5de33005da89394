package io.freehold.agent.link;

import java.time.Duration;

/**
 * Delays between connection attempts: exponential with "full jitter" (a uniformly random delay between zero and a
 * ceiling that doubles per retry up to {@code max}), so that a thousand agents cut off at once do not all come back
 * in the same second when the control plane returns.
 */
public record Backoff(Duration initial, Duration max) {

    public Backoff {
        if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("backoff needs 0 < initial <= max");
        }
    }

    /** The upper bound for retry number {@code retry} (0-based): {@code min(max, initial * 2^retry)}. */
    public Duration ceiling(int retry) {
        if (retry < 0) {
            throw new IllegalArgumentException("retry is 0-based: " + retry);
        }
        long initialNanos = initial.toNanos();
        // Past 2^62 nanoseconds the doubling overflows; long before that the ceiling is max anyway.
        if (retry >= 62 || initialNanos > (Long.MAX_VALUE >> retry)) {
            return max;
        }
        Duration doubled = Duration.ofNanos(initialNanos << retry);
        return doubled.compareTo(max) > 0 ? max : doubled;
    }

    /**
     * The delay before retry number {@code retry}.
     *
     * @param random01 a uniform random number in [0, 1), a parameter so that tests need no seeded generator
     */
    public Duration delay(int retry, double random01) {
        if (random01 < 0 || random01 >= 1) {
            throw new IllegalArgumentException("random01 must be in [0, 1): " + random01);
        }
        return Duration.ofNanos((long) (ceiling(retry).toNanos() * random01));
    }

    /**
     * The retry number for the next attempt: back to 0 after a session that was welcomed and then lasted at least
     * {@code stableAfter} (the link was healthy, this is a fresh outage), otherwise one more than before.
     *
     * @param retry the previous retry number, -1 before the first attempt
     */
    public static int nextRetry(int retry, boolean welcomed, Duration sessionLength, Duration stableAfter) {
        if (welcomed && sessionLength.compareTo(stableAfter) >= 0) {
            return 0;
        }
        return retry == Integer.MAX_VALUE ? retry : retry + 1;
    }
}
