package io.freehold.agent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class HostPortTest {

    @ParameterizedTest(name = "{0} -> {1} port {2}")
    @CsvSource({
            "cp1.example.net:9443, cp1.example.net, 9443, cp1.example.net:9443",
            "127.0.0.1:0,          127.0.0.1,       0,    127.0.0.1:0",
            "' 10.0.0.5:9443 ',    10.0.0.5,        9443, 10.0.0.5:9443",
            "[::1]:9443,           ::1,             9443, [::1]:9443",
            "[fd00::5]:65535,      fd00::5,         65535, [fd00::5]:65535",
    })
    void parsesHostAndPort(String text, String host, int port, String printed) {
        HostPort parsed = HostPort.parse(text);
        assertThat(parsed).isEqualTo(new HostPort(host, port));
        assertThat(parsed.toString()).isEqualTo(printed);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "host", "host:", ":9443", "host:port", "::1:9443", "host:70000", "host:-1"})
    void refusesWhatIsNotHostColonPort(String text) {
        assertThatThrownBy(() -> HostPort.parse(text)).isInstanceOf(IllegalArgumentException.class);
    }
}
