package io.freehold.agent;

import io.freehold.agent.facts.AgentVersion;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code freehold-agent} command line: {@code join} once, then {@code run} as a service. */
@Command(name = "freehold-agent", mixinStandardHelpOptions = true, versionProvider = FreeholdAgent.Version.class,
        subcommands = {JoinCommand.class, RunCommand.class},
        description = "The Freehold host agent.")
public final class FreeholdAgent implements Runnable {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the command line and returns its exit code: 0 done, 1 failed, 2 bad usage. */
    public static int execute(String... args) {
        return commandLine().execute(args);
    }

    /** The command line, for callers that redirect its output (tests, an all-in-one launcher). */
    public static CommandLine commandLine() {
        return new CommandLine(new FreeholdAgent());
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name a command: join or run");
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"freehold-agent " + AgentVersion.current()};
        }
    }
}
