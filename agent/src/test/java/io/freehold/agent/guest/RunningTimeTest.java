package io.freehold.agent.guest;

import static io.freehold.agent.guest.Looks.look;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** How a guest's running time grows from one look to the next, within one agent process and across a restart. */
class RunningTimeTest {

    private static final String ID = "i-1";
    private static final Instant T0 = Instant.parse("2026-11-29T10:00:00Z");

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "ran on                       | running@7 | running@7 | 1000 | 6000",
            "stopped in between           | running@7 | off       | 1000 | 6000",
            "restarted in between         | running@7 | running@9 | 1000 | 6000",
            "paused                       | paused@7  | paused@7  | 1000 | 6000",
            "deleted in between           | running@7 | absent    | 1000 | 6000",
            "started in between           | off       | running@9 | 1000 | 5000",
            "stayed off                   | off       | off       | 1000 | 5000",
            "monotonic clock cannot go back | running@7 | running@7 | -5 | 5000",
    })
    void withinOneProcessAGuestRunningAtTheEarlierLookGetsTheElapsedTime(String caseName, String before, String after,
                                                                       long elapsedMillis, long expected) {
        Observation earlier = look(T0, Looks.BOOT, ID, before);
        Observation later = "absent".equals(after) ? look(T0.plusSeconds(1), Looks.BOOT) : look(T0.plusSeconds(1), Looks.BOOT, ID, after);

        assertThat(RunningTime.afterLook(Map.of(ID, 5000L), earlier, later, elapsedMillis)).containsEntry(ID, expected);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "ran on through the gap       | boot-1 | running@7 | boot-1 | running@7 | 3600 | 3605000",
            "restarted during the gap     | boot-1 | running@7 | boot-1 | running@9 | 3600 | 5000",
            "stopped during the gap       | boot-1 | running@7 | boot-1 | off       | 3600 | 5000",
            "started during the gap       | boot-1 | off       | boot-1 | running@9 | 3600 | 5000",
            "host rebooted, same id again | boot-1 | running@1 | boot-2 | running@1 | 3600 | 5000",
            "wall clock set back          | boot-1 | running@7 | boot-1 | running@7 | -60  | 5000",
    })
    void acrossAnAgentRestartOnlyAGuestThatRanOnGetsTheGap(String caseName, String bootBefore, String before,
                                                          String bootAfter, String after, long gapSeconds, long expected) {
        Observation earlier = look(T0, bootBefore, ID, before);
        Observation later = look(T0.plusSeconds(gapSeconds), bootAfter, ID, after);

        assertThat(RunningTime.acrossRestart(Map.of(ID, 5000L), earlier, later)).containsEntry(ID, expected);
    }

    @Test
    void aNewGuestStartsAtZeroAndAVanishedOneKeepsItsCounter() {
        Observation earlier = look(T0, Looks.BOOT, "i-old", "off");
        Observation later = look(T0.plusSeconds(1), Looks.BOOT, "i-new", "running@4");

        assertThat(RunningTime.afterLook(Map.of("i-old", 42L), earlier, later, 1000))
                .containsExactly(Map.entry("i-new", 0L), Map.entry("i-old", 42L));
        assertThat(RunningTime.acrossRestart(Map.of("i-old", 42L), earlier, later))
                .containsExactly(Map.entry("i-new", 0L), Map.entry("i-old", 42L));
    }
}
