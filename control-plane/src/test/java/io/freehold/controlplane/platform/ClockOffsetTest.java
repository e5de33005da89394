package io.freehold.controlplane.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.Test;

/** {@code FREEHOLD_CLOCK_OFFSET} as the control plane reads it (decision 0004). */
class ClockOffsetTest {

    @Test
    void anIso8601DurationShiftsTheClockToTheMillisecondAndNothingLeavesItAlone() {
        assertThat(TimeAndIds.offset("")).isZero();
        assertThat(TimeAndIds.offset("P31D")).isEqualTo(Duration.ofDays(31));
        assertThat(TimeAndIds.offset("-PT2H")).isEqualTo(Duration.ofHours(-2));
        assertThat(TimeAndIds.offset("PT1.2345S")).isEqualTo(Duration.ofMillis(1234));
    }

    @Test
    void anythingElseStopsTheStartWithTheVariableNamed() {
        assertThatThrownBy(() -> TimeAndIds.offset("31 days")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("FREEHOLD_CLOCK_OFFSET=31 days");
    }
}
