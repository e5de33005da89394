package io.freehold.controlplane.inventory.decision;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import io.freehold.controlplane.inventory.HostState;
import io.freehold.controlplane.inventory.decision.HostLifecycle.Event;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HostLifecycleTest {

    private static final Path DIAGRAM = Path.of("..", "docs", "host-lifecycle.md");

    @ParameterizedTest(name = "{0} + {1} → {2}")
    @CsvSource(nullValues = "-", value = {
            "REGISTERED,  CONNECTED,    READY",
            "REGISTERED,  HEARTBEAT,    -",
            "REGISTERED,  SILENT,       -",
            "REGISTERED,  REVOKED,      REVOKED",
            "READY,       CONNECTED,    -",
            "READY,       HEARTBEAT,    -",
            "READY,       SILENT,       UNREACHABLE",
            "READY,       DISCONNECTED, UNREACHABLE",
            "READY,       REVOKED,      REVOKED",
            "UNREACHABLE, CONNECTED,    READY",
            "UNREACHABLE, HEARTBEAT,    READY",
            "UNREACHABLE, SILENT,       -",
            "UNREACHABLE, DISCONNECTED, -",
            "UNREACHABLE, REVOKED,      REVOKED",
            "REVOKED,     CONNECTED,    -",
            "REVOKED,     HEARTBEAT,    -",
            "REVOKED,     REVOKED,      -"})
    void transitions(HostState from, Event event, HostState to) {
        assertThat(HostLifecycle.next(from, event)).isEqualTo(Optional.ofNullable(to));
    }

    /** The diagram in the docs is generated from the table; set FREEHOLD_WRITE_DOCS=1 to regenerate it. */
    @Test
    void theDocumentedDiagramMatchesTheTable() throws IOException {
        String expected = render();
        if ("1".equals(System.getenv("FREEHOLD_WRITE_DOCS"))) {
            Files.writeString(DIAGRAM, expected);
        }
        assertThat(Files.readString(DIAGRAM))
                .as("docs/host-lifecycle.md is out of date; rerun this test with FREEHOLD_WRITE_DOCS=1")
                .isEqualTo(expected);
    }

    private static String render() {
        StringBuilder out = new StringBuilder("""
                # Host lifecycle

                Generated from `HostLifecycle` by `HostLifecycleTest`; do not edit by hand. Cordoning is a
                separate flag and does not appear here. An event not drawn for a state changes nothing.

                ```mermaid
                stateDiagram-v2
                    [*] --> REGISTERED: slot created or agent joined
                """);
        for (Map.Entry<HostState, Map<Event, HostState>> row : HostLifecycle.table().entrySet()) {
            row.getValue().entrySet().stream()
                    .sorted(Map.Entry.comparingByKey())
                    .forEach(edge -> out.append("    ").append(row.getKey()).append(" --> ").append(edge.getValue())
                            .append(": ").append(edge.getKey().name().toLowerCase()).append('\n'));
        }
        return out.append("    REVOKED --> [*]\n```\n").toString();
    }
}
