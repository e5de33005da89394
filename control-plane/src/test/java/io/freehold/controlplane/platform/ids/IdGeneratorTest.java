package io.freehold.controlplane.platform.ids;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class IdGeneratorTest {

    @Test
    void idsHaveThePrefixAndA26CharacterBody() {
        String id = new IdGenerator(Clock.systemUTC()).next("t");
        assertThat(id).matches("t-[0-9a-hjkmnp-tv-z]{26}");
        assertThat(Base32.isId("t", id)).isTrue();
    }

    @Test
    void idsSortByCreationTime() {
        List<String> ids = new ArrayList<>();
        for (long millis = 1_700_000_000_000L; millis < 1_700_000_000_000L + 5_000; millis += 997) {
            ids.add(new IdGenerator(Clock.fixed(Instant.ofEpochMilli(millis), ZoneOffset.UTC)).next("u"));
        }
        assertThat(ids).isSorted();
    }

    @Test
    void idsAreUniqueWithinOneMillisecond() {
        IdGenerator ids = new IdGenerator(Clock.fixed(Instant.EPOCH, ZoneOffset.UTC));
        HashSet<String> seen = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            assertThat(seen.add(ids.next("x"))).isTrue();
        }
    }

    @ParameterizedTest(name = "{0} is not a {1} id")
    @CsvSource({
            "u-01m8hbqpmnh3fkhx4je6znxh6t, t",
            "t-01m8hbqpmnh3fkhx4je6znxh6, t",
            "t-01m8hbqpmnh3fkhx4je6znxh6tt, t",
            "t-01M8HBQPMNH3FKHX4JE6ZNXH6T, t",
            "t-01m8hbqpmnh3fkhx4je6znxh6u, t",
            "t-81m8hbqpmnh3fkhx4je6znxh6t, t",
            "t_01m8hbqpmnh3fkhx4je6znxh6t, t"})
    void malformedIdsAreRecognised(String id, String prefix) {
        assertThat(Base32.isId(prefix, id)).isFalse();
    }
}
