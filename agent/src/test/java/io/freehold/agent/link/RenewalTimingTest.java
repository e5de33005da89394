package io.freehold.agent.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RenewalTimingTest {

    @ParameterizedTest(name = "{0} .. {1}: renew at {2}")
    @CsvSource({
            "2026-11-28T00:00:00Z, 2026-11-29T00:00:00Z, 2026-11-28T16:00:00Z",   // one day: at 16 h
            "2026-11-28T00:00:00Z, 2026-11-28T00:00:03Z, 2026-11-28T00:00:02Z",   // three seconds: at 2 s
            "2026-11-28T00:00:00Z, 2026-12-28T00:00:00Z, 2026-12-18T00:00:00Z",   // thirty days: at day 20
            "2026-11-28T00:00:00Z, 2026-11-28T00:00:00Z, 2026-11-28T00:00:00Z",
    })
    void renewsAtTwoThirdsOfTheLifetime(Instant notBefore, Instant notAfter, Instant renewAt) {
        assertThat(RenewalTiming.renewAt(notBefore, notAfter)).isEqualTo(renewAt);
    }

    @ParameterizedTest(name = "now {0}: wait {1}")
    @CsvSource({
            "2026-11-28T00:00:00Z, PT16H",
            "2026-11-28T15:00:00Z, PT1H",
            "2026-11-28T16:00:00Z, PT0S",
            "2026-11-28T20:00:00Z, PT0S",     // overdue, e.g. the agent was down: renew at once
            "2026-11-30T00:00:00Z, PT0S",     // expired: asking costs nothing, the control plane decides
    })
    void delayUntilRenewal(Instant now, Duration delay) {
        assertThat(RenewalTiming.delayUntilRenewal(now, Instant.parse("2026-11-28T00:00:00Z"), Instant.parse("2026-11-29T00:00:00Z")))
                .isEqualTo(delay);
    }

    @ParameterizedTest(name = "{0} left: ask again after {1}")
    @CsvSource({"PT8H, PT1M", "PT2M, PT30S", "PT2S, PT1S", "PT0S, PT1S", "-PT1M, PT1S"})
    void retriesSeveralTimesBeforeExpiry(Duration left, Duration retry) {
        Instant now = Instant.parse("2026-11-28T12:00:00Z");
        assertThat(RenewalTiming.retryAfter(now, now.plus(left))).isEqualTo(retry);
    }

    @Test
    void refusesAnInvertedValidity() {
        assertThatThrownBy(() -> RenewalTiming.renewAt(Instant.parse("2026-11-29T00:00:00Z"), Instant.parse("2026-11-28T00:00:00Z")))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
