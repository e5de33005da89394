package io.freehold.agent.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BackoffTest {

    private final Backoff backoff = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30));

    @ParameterizedTest(name = "retry {0}: ceiling {1}")
    @CsvSource({"0, PT0.5S", "1, PT1S", "2, PT2S", "3, PT4S", "5, PT16S", "6, PT30S", "7, PT30S", "61, PT30S", "62, PT30S",
            "2147483647, PT30S"})
    void ceilingDoublesFromHalfASecondToThirtySeconds(int retry, Duration ceiling) {
        assertThat(backoff.ceiling(retry)).isEqualTo(ceiling);
    }

    @ParameterizedTest(name = "retry {0}, random {1}: {2}")
    @CsvSource({"0, 0.0, PT0S", "0, 0.5, PT0.25S", "3, 0.25, PT1S", "10, 0.5, PT15S", "10, 0.999999, PT29.99997S"})
    void fullJitterScalesTheCeiling(int retry, double random, Duration delay) {
        assertThat(backoff.delay(retry, random)).isEqualTo(delay);
    }

    @ParameterizedTest(name = "after retry {0}, welcomed={1}, lasted {2}: retry {3}")
    @CsvSource({
            "-1, false, PT0S,  0",   // the first attempt failed
            "0,  false, PT0S,  1",   // refused again
            "4,  true,  PT5S,  5",   // welcomed but dropped quickly: a flapping server keeps the backoff growing
            "4,  true,  PT30S, 0",   // a stable session: this is a new outage
            "4,  true,  PT1H,  0",
            "4,  false, PT1H,  5",   // never welcomed, however long it hung
            "2147483647, false, PT0S, 2147483647",
    })
    void aStableSessionResetsTheRetries(int retry, boolean welcomed, Duration lasted, int next) {
        assertThat(Backoff.nextRetry(retry, welcomed, lasted, Duration.ofSeconds(30))).isEqualTo(next);
    }

    @Test
    void refusesNonsense() {
        assertThatThrownBy(() -> new Backoff(Duration.ZERO, Duration.ofSeconds(1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> backoff.delay(0, 1.0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> backoff.ceiling(-1)).isInstanceOf(IllegalArgumentException.class);
    }
}
