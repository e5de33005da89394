package io.freehold.controlplane.localagent;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The agent's {@code join} and {@code run} command lines, on the JVM that runs the control plane. */
final class AgentCommandLines {

    /** The agent holds one stream and a few threads; the JVM's default heap (a quarter of RAM) would be a waste. */
    private static final List<String> JVM_OPTIONS = List.of("-Xmx128m", "-XX:+UseSerialGC");

    private static final Path SETSID = Path.of("/usr/bin/setsid");

    private final Path jar;
    private final Path config;

    AgentCommandLines(Path jar, Path config) {
        this.jar = jar;
        this.config = config;
    }

    List<String> join(String server, String token, String caHash) {
        List<String> command = agent("join");
        command.addAll(List.of("--server", server, "--token", token, "--ca-hash", caHash));
        return command;
    }

    List<String> run() {
        return agent("run");
    }

    /** Whether a running process is this local agent: a pid may have been recycled by another program. */
    boolean isThisAgent(ProcessHandle process) {
        List<String> arguments = process.info().arguments().map(List::of).orElse(List.of());
        return arguments.contains(jar.toString()) && arguments.contains(config.toString());
    }

    private List<String> agent(String subcommand) {
        List<String> command = new ArrayList<>();
        // A session of its own, so that Ctrl-C in the operator's terminal reaches only the control plane,
        // which then stops the agent itself; setsid execs the JVM, so the pid stays the agent's.
        if (Files.isExecutable(SETSID)) {
            command.add(SETSID.toString());
        }
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(JVM_OPTIONS);
        command.addAll(List.of("-jar", jar.toString(), subcommand, "--config", config.toString()));
        return command;
    }
}
