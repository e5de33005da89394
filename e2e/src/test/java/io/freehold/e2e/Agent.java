package io.freehold.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The host agent jar, joined and run as {@code docs/agent.md} tells an operator to: one config file, one
 * state dir, {@code join} with the command ops were given, then {@code run}. Every run is a new process
 * (a new incarnation) on the same identity, so a test can kill one and start the next.
 */
final class Agent {

    /** A join is one TLS call after a JVM start; a loaded machine still does it in a few seconds. */
    private static final Duration JOIN_LIMIT = Duration.ofSeconds(90);
    private static final String JOIN_COMMAND_START = "freehold-agent join ";

    private final TestResources resources;
    private final UnaryOperator<List<String>> where;
    private final Path config;
    private final Path stateDir;
    private int runs;

    private Agent(TestResources resources, UnaryOperator<List<String>> where, Path config, Path stateDir) {
        this.resources = resources;
        this.where = where;
        this.config = config;
        this.stateDir = stateDir;
    }

    /**
     * Writes the agent's config: libvirt's simulated hypervisor ({@code test:///default}, no daemon), a
     * free metrics port, and {@code controlPlaneAddresses} when not empty (else the addresses stored at join).
     *
     * @param where wraps each agent command, e.g. in {@code ip netns exec}; the identity for none
     */
    static Agent configure(TestResources resources, UnaryOperator<List<String>> where, List<String> controlPlaneAddresses)
            throws IOException {
        return configure(resources, where, controlPlaneAddresses, Map.of());
    }

    /**
     * As above, with {@code settings} (keys of {@code docs/agent.md}'s configuration table) replacing or adding
     * to those, e.g. another {@code libvirt_uri} or {@code state_dir}.
     */
    static Agent configure(TestResources resources, UnaryOperator<List<String>> where, List<String> controlPlaneAddresses,
                           Map<String, String> settings) throws IOException {
        Map<String, String> yaml = new LinkedHashMap<>();
        yaml.put("state_dir", resources.scratch().resolve("agent-state").toString());
        yaml.put("libvirt_uri", "test:///default");
        yaml.put("metrics_address", "127.0.0.1:0");
        if (!controlPlaneAddresses.isEmpty()) {
            yaml.put("control_plane_addresses", "[" + String.join(", ", controlPlaneAddresses) + "]");
        }
        yaml.putAll(settings);
        Path config = resources.scratch().resolve("agent.yaml");
        Files.write(config, yaml.entrySet().stream().map(setting -> setting.getKey() + ": " + setting.getValue()).toList());
        return new Agent(resources, where, config, Path.of(yaml.get("state_dir")));
    }

    Path stateDir() {
        return stateDir;
    }

    /**
     * Runs the join command exactly as the control plane printed it (only the program name differs) and
     * returns the host id the agent printed.
     */
    String join(String joinCommand) throws IOException, InterruptedException {
        assertThat(joinCommand).as("the join command ops are given").startsWith(JOIN_COMMAND_START);
        List<String> arguments = new ArrayList<>(List.of("join", "--config", config.toString()));
        arguments.addAll(Arrays.asList(joinCommand.substring(JOIN_COMMAND_START.length()).split(" ")));
        // The host id alone goes to standard output, the log to standard error (docs/agent.md).
        Path hostIdOutput = resources.log("agent-join.out");
        ChildProcess join = resources.closeAtEnd(ChildProcess.start("agent-join",
                where.apply(Jars.javaCommand(Jars.agent(), arguments)), Map.of(), hostIdOutput, resources.log("agent-join.log")));
        int status = join.awaitExit(JOIN_LIMIT);
        if (status != 0) {
            fail("agent join exited with " + status + "; its log:\n" + Files.readString(resources.log("agent-join.log")));
        }
        return join.output().strip();
    }

    /** Starts {@code freehold-agent run}; it keeps running until the test kills or stops it. */
    ChildProcess run() throws IOException {
        return run(Map.of());
    }

    /** Starts {@code freehold-agent run} with {@code environment}, e.g. an armed fault point. */
    ChildProcess run(Map<String, String> environment) throws IOException {
        runs++;
        return resources.start("agent-run-" + runs,
                where.apply(Jars.javaCommand(Jars.agent(), List.of("run", "--config", config.toString()))), environment);
    }
}
