package io.freehold.controlplane.agentlink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.function.UnaryOperator;

import com.google.protobuf.Timestamp;
import io.freehold.agent.v1.Heartbeat;
import io.freehold.agent.v1.HostFacts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class WireFactsTest {

    @Test
    void factsAsAnAgentSendsThemAreRead() {
        var read = WireFacts.facts(TestAgent.facts("node1.example"));

        assertThat(read.hostname()).isEqualTo("node1.example");
        assertThat(read.cpuThreads()).isEqualTo(4);
        assertThat(read.protocolVersion()).isEqualTo(1);
    }

    static Object[][] refusedFacts() {
        return new Object[][] {
                {"no hostname", (UnaryOperator<HostFacts.Builder>) f -> f.clearHostname(), "facts.hostname is missing"},
                {"hostname too long", (UnaryOperator<HostFacts.Builder>) f -> f.setHostname("a".repeat(254)), "facts.hostname is longer"},
                {"NUL in a text", (UnaryOperator<HostFacts.Builder>) f -> f.setCpuModel("x\u0000y"), "facts.cpu_model contains control"},
                {"huge text", (UnaryOperator<HostFacts.Builder>) f -> f.setOs("l".repeat(1025)), "facts.os is longer"},
                {"negative cores", (UnaryOperator<HostFacts.Builder>) f -> f.setCpuCores(-1), "facts.cpu_cores must not be negative"},
                {"negative memory", (UnaryOperator<HostFacts.Builder>) f -> f.setMemoryBytes(-1), "facts.memory_bytes"},
                {"no boot id", (UnaryOperator<HostFacts.Builder>) f -> f.clearBootId(), "facts.boot_id is missing"},
                {"no incarnation", (UnaryOperator<HostFacts.Builder>) f -> f.clearIncarnationId(), "facts.incarnation_id is missing"},
                {"no protocol version", (UnaryOperator<HostFacts.Builder>) f -> f.clearProtocolVersion(), "facts.protocol_version"},
        };
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusedFacts")
    void factsNoHostReportsAreRefusedNamingTheField(String what, UnaryOperator<HostFacts.Builder> change, String message) {
        HostFacts wire = change.apply(TestAgent.facts("node1.example").toBuilder()).build();

        assertThatIllegalArgumentException().isThrownBy(() -> WireFacts.facts(wire)).withMessageContaining(message);
    }

    static Object[][] refusedHeartbeats() {
        return new Object[][] {
                {Heartbeat.newBuilder().setLoadAverage1M(Double.NaN), "load_average_1m"},
                {Heartbeat.newBuilder().setLoadAverage1M(-0.5), "load_average_1m"},
                {Heartbeat.newBuilder().setFreeMemoryBytes(-1), "free_memory_bytes"},
                {Heartbeat.newBuilder().setGuestCount(-1), "guest_count"},
        };
    }

    @ParameterizedTest
    @MethodSource("refusedHeartbeats")
    void impossibleUtilisationIsRefused(Heartbeat.Builder heartbeat, String field) {
        assertThatIllegalArgumentException().isThrownBy(() -> WireFacts.utilisation(heartbeat.build())).withMessageContaining(field);
    }

    @Test
    void anUnsetTimestampIsMissingNotTheEpoch() {
        assertThatIllegalArgumentException().isThrownBy(() -> WireFacts.instant("hello.sent_at", Timestamp.getDefaultInstance()))
                .withMessage("hello.sent_at is missing");
    }

}
