package io.freehold.agent.facts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MemInfoTest {

    @Test
    void readsTotalAndAvailableInBytes() {
        assertThat(MemInfo.parse(Fixtures.read("meminfo.txt")))
                .isEqualTo(new MemInfo(24684084L * 1024, 23396856L * 1024));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            // Kernels before 3.14 have no MemAvailable.
            "'MemTotal: 1000 kB\nMemFree: 400 kB'                         | 1024000 | 409600",
            "'MemFree: 400 kB\nMemTotal: 1000 kB\nMemAvailable: 600 kB'   | 1024000 | 614400",
            "'MemTotal: 1000 kB'                                          | 1024000 | 0",
    })
    void table(String text, long total, long available) {
        assertThat(MemInfo.parse(text.replace("\\n", "\n"))).isEqualTo(new MemInfo(total, available));
    }

    @Test
    void withoutMemTotalItIsNotMeminfo() {
        assertThatThrownBy(() -> MemInfo.parse("MemFree: 1 kB")).hasMessageContaining("MemTotal");
    }
}
