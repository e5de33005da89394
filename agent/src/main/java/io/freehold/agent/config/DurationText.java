package io.freehold.agent.config;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as operators write them in the config file: {@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h}. */
public final class DurationText {

    private static final Pattern SHAPE = Pattern.compile("(\\d+)\\s*(ms|s|m|h)");

    private DurationText() {
    }

    /** @throws IllegalArgumentException when the text is not a whole number followed by ms, s, m or h */
    public static Duration parse(String text) {
        Matcher matcher = SHAPE.matcher(text == null ? "" : text.trim());
        if (!matcher.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a duration such as 500ms, 30s, 5m or 1h");
        }
        long amount = Long.parseLong(matcher.group(1));
        return switch (matcher.group(2)) {
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            default -> Duration.ofHours(amount);
        };
    }
}
