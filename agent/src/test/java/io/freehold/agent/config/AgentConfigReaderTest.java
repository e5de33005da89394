package io.freehold.agent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AgentConfigReaderTest {

    @Test
    void anEmptyFileMeansEveryDefault() {
        AgentConfig config = AgentConfigReader.parse("");

        assertThat(config).isEqualTo(AgentConfig.defaults());
        assertThat(config.stateDir()).isEqualTo(Path.of("/var/lib/freehold/agent"));
        assertThat(config.guestStoragePath()).isEqualTo(Path.of("/var/lib/freehold/agent/guests"));
        assertThat(config.libvirtUri()).isEqualTo("qemu:///system");
        assertThat(config.metricsAddress()).isEqualTo(new HostPort("127.0.0.1", 9464));
        assertThat(config.kvm()).isEqualTo(KvmMode.AUTO);
        assertThat(config.reconnect().initial()).isEqualTo(Duration.ofMillis(500));
        assertThat(config.reconnect().max()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void readsEveryKey() {
        AgentConfig config = AgentConfigReader.parse("""
                control_plane_addresses:
                  - cp1.example.net:9443
                  - "[fd00::2]:9443"
                state_dir: /srv/agent
                guest_storage_path: /data/guests
                libvirt_uri: test:///default
                metrics_address: 0.0.0.0:9100
                kvm: off
                reconnect_initial_backoff: 100ms
                reconnect_max_backoff: 5s
                reconnect_stable_after: 1m
                welcome_timeout: 3s
                keepalive: 20s
                """);

        assertThat(config.controlPlaneAddresses()).containsExactly(new HostPort("cp1.example.net", 9443), new HostPort("fd00::2", 9443));
        assertThat(config.stateDir()).isEqualTo(Path.of("/srv/agent"));
        assertThat(config.guestStoragePath()).isEqualTo(Path.of("/data/guests"));
        assertThat(config.libvirtUri()).isEqualTo("test:///default");
        assertThat(config.metricsAddress()).isEqualTo(new HostPort("0.0.0.0", 9100));
        assertThat(config.kvm()).isEqualTo(KvmMode.OFF);
        assertThat(config.reconnect()).isEqualTo(new AgentConfig.Reconnect(Duration.ofMillis(100), Duration.ofSeconds(5), Duration.ofMinutes(1)));
        assertThat(config.welcomeTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(config.keepAlive()).isEqualTo(Duration.ofSeconds(20));
    }

    @Test
    void guestStorageFollowsTheStateDirUnlessSet() {
        AgentConfig config = AgentConfigReader.parse("state_dir: /srv/agent\n");

        assertThat(config.guestStoragePath()).isEqualTo(Path.of("/srv/agent/guests"));
        assertThat(config.withStateDir(Path.of("/tmp/x")).guestStoragePath()).isEqualTo(Path.of("/tmp/x/guests"));
    }

    @Test
    void aSingleAddressNeedNotBeAList() {
        assertThat(AgentConfigReader.parse("control_plane_addresses: cp:9443").controlPlaneAddresses())
                .isEqualTo(List.of(new HostPort("cp", 9443)));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "libvirt_url: qemu:///system            | unknown key(s) [libvirt_url]",
            "kvm: maybe                             | kvm: kvm must be auto or off",
            "metrics_address: 9464                  | metrics_address: '9464' is not HOST:PORT",
            "control_plane_addresses: [cp]          | control_plane_addresses: 'cp' is not HOST:PORT",
            "reconnect_initial_backoff: soon        | reconnect_initial_backoff: 'soon' is not a duration",
            "reconnect_max_backoff: 100ms           | reconnect_initial_backoff/reconnect_max_backoff: reconnect backoff needs",
            "state_dir: [a, b]                      | state_dir: expected a single value",
            "- just a list                          | must be a mapping",
            "'key: [unclosed'                       | not valid YAML",
    })
    void namesTheOffendingKey(String yaml, String message) {
        assertThatThrownBy(() -> AgentConfigReader.parse(yaml)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }

    @Test
    void thePackagedSampleIsValidAndDocumentsEveryKey() throws Exception {
        Path sample = Path.of("packaging/agent.yaml");
        String text = Files.readString(sample);

        AgentConfig config = AgentConfigReader.read(sample);

        assertThat(config.stateDir()).isEqualTo(AgentConfig.DEFAULT_STATE_DIR);
        for (String key : AgentConfigReader.keys()) {
            assertThat(text).as("the sample mentions " + key).contains(key + ":");
        }
    }
}
