package io.freehold.bench;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code --name=value} arguments with defaults. The placement benchmarks run inside the control plane's
 * executable jar, which carries no command-line library, so they parse their few options themselves.
 */
final class BenchArgs {

    private final Map<String, String> values;

    private BenchArgs(Map<String, String> values) {
        this.values = values;
    }

    /** @throws IllegalArgumentException naming an unknown or malformed option and listing the known ones */
    static BenchArgs parse(String[] args, Map<String, String> defaults) {
        Map<String, String> values = new HashMap<>(defaults);
        for (String arg : args) {
            int equals = arg.indexOf('=');
            String name = arg.startsWith("--") && equals > 2 ? arg.substring(2, equals) : null;
            if (name == null || !defaults.containsKey(name)) {
                throw new IllegalArgumentException("unknown option " + arg + "; the options, with their defaults, are "
                        + new TreeMap<>(defaults));
            }
            values.put(name, arg.substring(equals + 1));
        }
        return new BenchArgs(values);
    }

    int integer(String name) {
        return Integer.parseInt(values.get(name));
    }

    String text(String name) {
        return values.get(name);
    }
}
