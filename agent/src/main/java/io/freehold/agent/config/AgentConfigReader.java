package io.freehold.agent.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Supplier;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Reads the agent's YAML config file. Keys are flat and snake_case; every key is optional and falls back to {@link
 * AgentConfig#defaults()}. An unknown key is an error rather than a silent no-op, so that a typo such as
 * {@code libvirt_url} cannot leave the agent on a default the operator meant to change.
 */
public final class AgentConfigReader {

    static final Set<String> KEYS = Set.of("control_plane_addresses", "state_dir", "guest_storage_path", "libvirt_uri",
            "metrics_address", "kvm", "reconnect_initial_backoff", "reconnect_max_backoff", "reconnect_stable_after",
            "welcome_timeout", "keepalive");

    private AgentConfigReader() {
    }

    /** Reads a file; a missing file is an error, because the operator named it. */
    public static AgentConfig read(Path file) {
        try {
            return parse(Files.readString(file));
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the config file " + file + ": " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Parses YAML text into a config.
     *
     * @throws IllegalArgumentException naming the offending key, when the text is not valid YAML, not a mapping,
     *                                  holds an unknown key or a value of the wrong shape
     */
    public static AgentConfig parse(String yaml) {
        Map<String, Object> values = load(yaml);
        Set<String> unknown = new TreeSet<>(values.keySet());
        unknown.removeAll(KEYS);
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("unknown key(s) " + unknown + "; known keys are " + new TreeSet<>(KEYS));
        }
        AgentConfig d = AgentConfig.defaults();
        AgentConfig.Reconnect r = d.reconnect();
        var initial = value(values, "reconnect_initial_backoff", DurationText::parse, r.initial());
        var max = value(values, "reconnect_max_backoff", DurationText::parse, r.max());
        var stableAfter = value(values, "reconnect_stable_after", DurationText::parse, r.stableAfter());
        AgentConfig.Reconnect reconnect = field("reconnect_initial_backoff/reconnect_max_backoff",
                () -> new AgentConfig.Reconnect(initial, max, stableAfter));
        return new AgentConfig(
                addresses(values.get("control_plane_addresses")),
                value(values, "state_dir", Path::of, d.stateDir()),
                value(values, "guest_storage_path", Path::of, null),
                value(values, "libvirt_uri", Function.identity(), d.libvirtUri()),
                value(values, "metrics_address", HostPort::parse, d.metricsAddress()),
                value(values, "kvm", KvmMode::parse, d.kvm()),
                reconnect,
                value(values, "welcome_timeout", DurationText::parse, d.welcomeTimeout()),
                value(values, "keepalive", DurationText::parse, d.keepAlive()));
    }

    private static Map<String, Object> load(String yaml) {
        Object document;
        try {
            document = new Yaml(new SafeConstructor(new LoaderOptions())).load(yaml);
        } catch (YAMLException e) {
            throw new IllegalArgumentException("not valid YAML: " + e.getMessage(), e);
        }
        if (document == null) {
            return Map.of();
        }
        if (!(document instanceof Map<?, ?> map)) {
            throw new IllegalArgumentException("the config must be a mapping of keys to values");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> values = (Map<String, Object>) map;
        return values;
    }

    private static List<HostPort> addresses(Object raw) {
        if (raw == null) {
            return List.of();
        }
        List<?> items = raw instanceof List<?> list ? list : List.of(raw);
        List<HostPort> addresses = new ArrayList<>();
        for (Object item : items) {
            addresses.add(field("control_plane_addresses", () -> HostPort.parse(String.valueOf(item))));
        }
        return addresses;
    }

    private static <T> T value(Map<String, Object> values, String key, Function<String, T> parser, T fallback) {
        Object raw = values.get(key);
        if (raw == null) {
            return fallback;
        }
        if (raw instanceof Map<?, ?> || raw instanceof List<?>) {
            throw new IllegalArgumentException(key + ": expected a single value");
        }
        return field(key, () -> parser.apply(String.valueOf(raw)));
    }

    private static <T> T field(String key, Supplier<T> parse) {
        try {
            return parse.get();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(key + ": " + e.getMessage(), e);
        }
    }

    /** Keys the reader accepts, for documentation and tests. */
    public static Set<String> keys() {
        return KEYS;
    }
}
