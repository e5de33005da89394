package io.freehold.agent.facts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The one-line parsers: load average, os-release, libvirt versions, architecture names. */
class SmallParsersTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {"'0.78 0.67 1.16 4/177 1016' | 0.78", "'12.50 1 1 1/1 1\n' | 12.5", "'0.00 0.00 0.00 1/99 7' | 0.0"})
    void loadAverage(String text, double expected) {
        assertThat(LoadAverage.oneMinute(text.replace("\\n", "\n"))).isEqualTo(expected);
    }

    @Test
    void loadAverageRefusesOtherText() {
        assertThatThrownBy(() -> LoadAverage.oneMinute("")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void osReleasePrettyName() {
        assertThat(OsRelease.prettyName("""
                PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"
                NAME="Debian GNU/Linux"
                """)).isEqualTo("Debian GNU/Linux 12 (bookworm)");
        assertThat(OsRelease.prettyName("NAME=Alpine\nVERSION=3.19\n")).isEqualTo("Alpine 3.19");
        assertThat(OsRelease.prettyName("# comment\nPRETTY_NAME='Fedora Linux 40'\n")).isEqualTo("Fedora Linux 40");
        assertThat(OsRelease.prettyName("PRETTY_NAME=\"Quoted \\\"inner\\\" name\"\n")).isEqualTo("Quoted \"inner\" name");
        assertThat(OsRelease.prettyName("")).isEqualTo("Linux");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"9000000, 9.0.0", "7010000, 7.10.0", "8002001, 8.2.1", "2, 0.0.2", "0, 0.0.0"})
    void libvirtVersion(long encoded, String formatted) {
        assertThat(LibvirtVersion.format(encoded)).isEqualTo(formatted);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"amd64, x86_64", "x86_64, x86_64", "aarch64, aarch64", "arm64, aarch64", "i386, i686", "s390x, s390x"})
    void architecture(String jvm, String kernel) {
        assertThat(Architecture.fromJvm(jvm)).isEqualTo(kernel);
    }
}
