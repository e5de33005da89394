package io.freehold.agent.config;

import java.util.Locale;

/** Whether the agent may report KVM as usable: {@code auto} detects it honestly, {@code off} never offers it. */
public enum KvmMode {
    AUTO, OFF;

    /**
     * Parses {@code auto} or {@code off}. YAML 1.1 reads an unquoted {@code off} as the boolean false (and {@code on}
     * as true), so those arrive here as "false" and "true" and mean off and auto.
     */
    public static KvmMode parse(String text) {
        String normalized = text.trim().toLowerCase(Locale.ROOT);
        if (normalized.equals("false")) {
            return OFF;
        }
        if (normalized.equals("true")) {
            return AUTO;
        }
        try {
            return valueOf(normalized.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("kvm must be auto or off, not '" + text + "'");
        }
    }
}
