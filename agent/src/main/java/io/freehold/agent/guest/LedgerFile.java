package io.freehold.agent.guest;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.google.protobuf.InvalidProtocolBufferException;
import io.freehold.agent.guest.GuestInventory.Guest;
import io.freehold.agent.guest.GuestInventory.Shape;
import io.freehold.agent.v1.GuestReport;

/**
 * The text form of the guest ledger ({@code <state dir>/guest-ledger}), one record per line, fields separated by one
 * space, free text percent-encoded:
 *
 * <pre>
 * freehold-guest-ledger 1
 * look &lt;epoch ms&gt; &lt;applied seq&gt; &lt;boot id&gt;
 * guest &lt;instance&gt; &lt;tenant&gt; &lt;generation&gt; &lt;reboot count&gt; &lt;power&gt; &lt;runtime id&gt; &lt;vcpus&gt; &lt;memory MiB&gt; &lt;disk GiB&gt;
 * running &lt;instance&gt; &lt;milliseconds&gt;
 * report &lt;base64 of the GuestReport's protobuf bytes&gt;
 * end
 * </pre>
 *
 * One {@code look}, then any number of the others, {@code report}s oldest first; the {@code end} line tells a whole
 * file from one cut short. Reports are kept as the exact bytes that are sent, so a report sent again after a restart is
 * the same report. A reader refuses another version rather than guess.
 */
final class LedgerFile {

    static final String HEADER = "freehold-guest-ledger 1";
    private static final String END = "end";

    private LedgerFile() {
    }

    static String encode(LedgerState state) {
        StringBuilder text = new StringBuilder(HEADER).append('\n');
        Observation look = state.lastLook();
        line(text, "look", look.at().toEpochMilli(), look.appliedSeq(), text(look.bootId()));
        for (Guest guest : look.guests().values()) {
            line(text, "guest", guest.instanceId(), text(guest.tenantId()), guest.generation(), guest.rebootCount(),
                    guest.power(), guest.runtimeId(), guest.shape().vcpus(), guest.shape().memoryMib(),
                    guest.shape().rootDiskGib());
        }
        state.runningMillis().forEach((id, millis) -> line(text, "running", id, millis));
        for (GuestReport report : state.pending()) {
            line(text, "report", Base64.getEncoder().encodeToString(report.toByteArray()));
        }
        return text.append(END).append('\n').toString();
    }

    /** @throws IllegalArgumentException naming the line, when the text is not a whole ledger of this version */
    static LedgerState decode(String content) {
        String[] lines = content.split("\n", -1);
        if (!lines[0].equals(HEADER)) {
            throw new IllegalArgumentException("line 1 is '" + lines[0] + "', not '" + HEADER + "'");
        }
        Observation look = null;
        Map<String, Guest> guests = new LinkedHashMap<>();
        Map<String, Long> running = new TreeMap<>();
        List<GuestReport> pending = new ArrayList<>();
        for (int i = 1; i < lines.length; i++) {
            String[] fields = lines[i].split(" ", -1);
            try {
                switch (fields[0]) {
                    case "look" -> {
                        fields(fields, 4);
                        look = new Observation(Instant.ofEpochMilli(Long.parseLong(fields[1])), untext(fields[3]),
                                Long.parseLong(fields[2]), Map.of());
                    }
                    case "guest" -> {
                        fields(fields, 10);
                        guests.put(fields[1], new Guest(fields[1], untext(fields[2]), Long.parseLong(fields[3]),
                                Long.parseLong(fields[4]), PowerState.valueOf(fields[5]), Integer.parseInt(fields[6]),
                                new Shape(Integer.parseInt(fields[7]), Long.parseLong(fields[8]), Long.parseLong(fields[9]))));
                    }
                    case "running" -> {
                        fields(fields, 3);
                        running.put(fields[1], Long.parseLong(fields[2]));
                    }
                    case "report" -> {
                        fields(fields, 2);
                        pending.add(GuestReport.parseFrom(Base64.getDecoder().decode(fields[1])));
                    }
                    case END -> {
                        if (look == null) {
                            throw new IllegalArgumentException("no look line before the end");
                        }
                        if (!(i == lines.length - 2 && lines[i + 1].isEmpty())) {
                            throw new IllegalArgumentException("text after the end line");
                        }
                        return new LedgerState(new Observation(look.at(), look.bootId(), look.appliedSeq(), guests),
                                running, pending);
                    }
                    default -> throw new IllegalArgumentException("unknown record '" + fields[0] + "'");
                }
            } catch (IllegalArgumentException | InvalidProtocolBufferException e) {
                throw new IllegalArgumentException("line " + (i + 1) + ": " + e.getMessage(), e);
            }
        }
        throw new IllegalArgumentException("no end line: the file was cut short");
    }

    private static void fields(String[] fields, int count) {
        if (fields.length != count) {
            throw new IllegalArgumentException("'" + fields[0] + "' has " + (fields.length - 1) + " fields, not " + (count - 1));
        }
    }

    private static void line(StringBuilder text, String kind, Object... fields) {
        text.append(kind);
        for (Object field : fields) {
            text.append(' ').append(field);
        }
        text.append('\n');
    }

    private static String text(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static String untext(String value) {
        return URLDecoder.decode(value, StandardCharsets.UTF_8);
    }
}
