package io.freehold.agent;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import io.freehold.agent.config.AgentConfig;
import io.freehold.agent.fault.FaultPoints;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code freehold-agent run}: the daemon. Runs until SIGTERM or SIGINT, whose shutdown hook ends the session cleanly
 * so the control plane sees a completed stream rather than a cut link.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run the agent: connect to the control plane with the identity from join, report facts and heartbeats.")
final class RunCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE", description = "agent config file (default /etc/freehold/agent.yaml if present)")
    private Path configFile;

    @Override
    public Integer call() throws InterruptedException {
        Agent agent;
        try {
            FaultPoints.announce();
            AgentConfig config = ConfigOption.load(configFile);
            agent = Agent.start(config);
        } catch (IllegalArgumentException | IllegalStateException | UncheckedIOException e) {
            spec.commandLine().getErr().println("freehold-agent run: " + e.getMessage());
            return 1;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(agent::close, "freehold-shutdown"));
        agent.awaitStopped();
        return 0;
    }
}
