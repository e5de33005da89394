package io.freehold.agent.link;

import java.time.Duration;
import java.time.Instant;

/**
 * When to renew the client certificate: at two thirds of its lifetime (ARCHITECTURE §4), which leaves a third of it
 * to ride out a control plane that is down at that moment; and how soon to ask again when no answer came.
 */
public final class RenewalTiming {

    static final Duration MAX_RETRY = Duration.ofMinutes(1);
    static final Duration MIN_RETRY = Duration.ofSeconds(1);

    private RenewalTiming() {
    }

    public static Instant renewAt(Instant notBefore, Instant notAfter) {
        Duration lifetime = Duration.between(notBefore, notAfter);
        if (lifetime.isNegative()) {
            throw new IllegalArgumentException("notAfter " + notAfter + " is before notBefore " + notBefore);
        }
        return notBefore.plus(lifetime.multipliedBy(2).dividedBy(3));
    }

    /** Zero when renewal is already due. */
    public static Duration delayUntilRenewal(Instant now, Instant notBefore, Instant notAfter) {
        Duration delay = Duration.between(now, renewAt(notBefore, notAfter));
        return delay.isNegative() ? Duration.ZERO : delay;
    }

    /**
     * How long to wait for a RenewResponse before asking again: a quarter of the time left, between one second and
     * one minute, so that a short-lived certificate still gets several tries before it expires.
     */
    public static Duration retryAfter(Instant now, Instant notAfter) {
        Duration quarter = Duration.between(now, notAfter).dividedBy(4);
        if (quarter.compareTo(MIN_RETRY) < 0) {
            return MIN_RETRY;
        }
        return quarter.compareTo(MAX_RETRY) > 0 ? MAX_RETRY : quarter;
    }
}
