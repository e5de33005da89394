package io.freehold.controlplane.agentlink;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.OptionalInt;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SessionTermsTest {

    private static final Instant T = Instant.parse("2026-11-28T12:00:00Z");

    @ParameterizedTest(name = "heard at +{0} ms, {1} ms beats, {2} may be missed → lease until +{3} ms")
    @CsvSource({
            "0,     5000, 3, 15000",
            "0,     1000, 3, 3000",
            "2500,  1000, 3, 5500",
            "0,     5000, 1, 5000",
            "10,    250,  4, 1010",
    })
    void aLeaseLastsAsLongAsTheHeartbeatsAHostMayMiss(long heardMs, long intervalMs, int missed, long expiresMs) {
        assertThat(SessionTerms.leaseExpiry(T.plusMillis(heardMs), Duration.ofMillis(intervalMs), missed))
                .isEqualTo(T.plusMillis(expiresMs));
    }

    @ParameterizedTest(name = "agent sent at {1} ms, server got it at {0} ms → offset {2} ms")
    @CsvSource({
            "0,     0,      0",
            "5000,  0,      5000",
            "0,     5000,   -5000",
            "1012,  1000,   12",
    })
    void theClockOffsetIsWhatToAddToAgentTimes(long serverMs, long agentMs, long offsetMs) {
        Duration offset = SessionTerms.clockOffset(T.plusMillis(serverMs), T.plusMillis(agentMs));

        assertThat(offset).isEqualTo(Duration.ofMillis(offsetMs));
        assertThat(T.plusMillis(agentMs).plus(offset)).isEqualTo(T.plusMillis(serverMs));
    }

    @ParameterizedTest(name = "agent speaks {0} → {1}")
    @CsvSource({
            "0,  -1",
            "-3, -1",
            "1,  1",
            "2,  2",
            "3,  3",
            "4,  4",
            "7,  4",
    })
    void bothSidesSpeakTheLowerVersionAndAnAgentMustAnnounceOne(int agent, int negotiated) {
        assertThat(SessionTerms.negotiatedVersion(agent)).isEqualTo(negotiated < 0 ? OptionalInt.empty() : OptionalInt.of(negotiated));
    }
}
