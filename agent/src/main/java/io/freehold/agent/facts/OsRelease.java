package io.freehold.agent.facts;

import java.util.HashMap;
import java.util.Map;

/** The operating system's name for people, from {@code /etc/os-release} (a shell-compatible KEY=value file). */
public final class OsRelease {

    private OsRelease() {
    }

    /** PRETTY_NAME, else "NAME VERSION", else "Linux" as os-release(5) specifies for a missing NAME. */
    public static String prettyName(String text) {
        Map<String, String> values = parse(text);
        String pretty = values.get("PRETTY_NAME");
        if (pretty != null && !pretty.isBlank()) {
            return pretty;
        }
        String name = values.getOrDefault("NAME", "Linux");
        String version = values.get("VERSION");
        return version == null || version.isBlank() ? name : name + " " + version;
    }

    static Map<String, String> parse(String text) {
        Map<String, String> values = new HashMap<>();
        for (String line : text.split("\\n")) {
            String trimmed = line.trim();
            int equals = trimmed.indexOf('=');
            if (trimmed.startsWith("#") || equals <= 0) {
                continue;
            }
            values.put(trimmed.substring(0, equals), unquote(trimmed.substring(equals + 1)));
        }
        return values;
    }

    private static String unquote(String value) {
        if (value.length() >= 2 && value.charAt(0) == '\'' && value.endsWith("'")) {
            return value.substring(1, value.length() - 1);
        }
        if (value.length() >= 2 && value.charAt(0) == '"' && value.endsWith("\"")) {
            StringBuilder out = new StringBuilder();
            String inner = value.substring(1, value.length() - 1);
            for (int i = 0; i < inner.length(); i++) {
                char c = inner.charAt(i);
                if (c == '\\' && i + 1 < inner.length()) {
                    c = inner.charAt(++i);
                }
                out.append(c);
            }
            return out.toString();
        }
        return value;
    }
}
