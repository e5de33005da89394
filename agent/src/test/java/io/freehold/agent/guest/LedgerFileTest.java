package io.freehold.agent.guest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.google.protobuf.Timestamp;
import io.freehold.agent.guest.GuestInventory.Guest;
import io.freehold.agent.guest.GuestInventory.Shape;
import io.freehold.agent.v1.GuestReport;
import io.freehold.agent.v1.LifecycleEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LedgerFileTest {

    private static final LedgerState STATE = new LedgerState(
            new Observation(Instant.parse("2026-11-29T10:00:00.123Z"), "0f1e2d3c-boot", 17, Map.of(
                    "i-a", new Guest("i-a", "t-with space & 100% odd", 3, 1, PowerState.RUNNING, 12, new Shape(2, 2048, 20)),
                    "i-b", new Guest("i-b", "", 1, 0, PowerState.SHUT_OFF, Guest.NOT_RUNNING, new Shape(1, 512, 0)))),
            Map.of("i-a", 3_600_123L, "i-b", 0L, "i-gone", 42L),
            List.of(report("inc-old", 7), report("inc-new", 1)));

    @Test
    void whatIsWrittenReadsBackTheSame() {
        String text = LedgerFile.encode(STATE);

        assertThat(LedgerFile.decode(text)).isEqualTo(STATE);
        assertThat(text).startsWith("freehold-guest-ledger 1\nlook 1795946400123 17 0f1e2d3c-boot\n")
                .contains("\nguest i-a t-with+space+%26+100%25+odd 3 1 RUNNING 12 2 2048 20\n")
                .contains("\nrunning i-a 3600123\n")
                .endsWith("\nend\n");
    }

    @Test
    void reportsKeepTheirBytesAndTheirOrder() {
        LedgerState read = LedgerFile.decode(LedgerFile.encode(STATE));

        assertThat(read.pending()).extracting(GuestReport::toByteString)
                .containsExactly(STATE.pending().get(0).toByteString(), STATE.pending().get(1).toByteString());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "cut short               | CUT          | no end line: the file was cut short",
            "another version         | VERSION      | line 1 is 'freehold-guest-ledger 2'",
            "a line the agent lacks  | UNKNOWN      | line 3: unknown record 'disk'",
            "a field missing         | FIELDS       | line 3: 'guest' has 8 fields, not 9",
            "a number that is not    | NUMBER       | line 2: For input string: \"soon\"",
            "text after the end      | TRAILING     | text after the end line",
            "an empty file           | EMPTY        | line 1 is ''",
    })
    void aDamagedFileIsRefusedSayingWhere(String caseName, String damage, String message) {
        String text = LedgerFile.encode(STATE);
        String damaged = switch (damage) {
            case "CUT" -> text.substring(0, text.indexOf("\nreport ") + 20);
            case "VERSION" -> text.replace("freehold-guest-ledger 1", "freehold-guest-ledger 2");
            case "UNKNOWN" -> text.replaceFirst("\nguest ", "\ndisk ");
            case "FIELDS" -> text.replace(" 2 2048 20\n", " 2048 20\n");
            case "NUMBER" -> text.replace("look 1795946400123", "look soon");
            case "TRAILING" -> text + "report AAAA\n";
            case "EMPTY" -> "";
            default -> throw new IllegalArgumentException(damage);
        };

        assertThatThrownBy(() -> LedgerFile.decode(damaged)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }

    private static GuestReport report(String incarnation, long seq) {
        return GuestReport.newBuilder().setIncarnationId(incarnation).setReportSeq(seq).setInstanceId("i-a")
                .setTenantId("t-1").setEvent(LifecycleEvent.LIFECYCLE_EVENT_STARTED)
                .setObservedAt(Timestamp.newBuilder().setSeconds(1_795_946_400L)).setGeneration(3).setAppliedSeq(17).build();
    }
}
