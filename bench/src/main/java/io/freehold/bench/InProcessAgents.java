package io.freehold.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.freehold.agent.Agent;
import io.freehold.agent.config.AgentConfig;
import io.freehold.agent.config.HostPort;
import io.freehold.agent.config.KvmMode;
import io.freehold.agent.guest.Guests;
import io.freehold.agent.identity.AgentIdentity;
import io.freehold.agent.identity.StateDirectory;

/**
 * The hosts' agents: the real agent, started by {@link Agent#start} as {@code freehold-agent run} starts it, once per
 * joined host, all in this JVM. Each has its own state directory (identity, guest ledger), guest storage (the qcow2
 * root disks qemu-img makes) and hypervisor, and speaks the agent protocol over its own mutual-TLS connection; they share
 * only the process. Only the hypervisor is simulated: each agent drives a private instance of libvirt's test driver,
 * opened from a file ({@code test:///<file>}), whose domains belong to the one connection that opened it — unlike
 * {@code test:///default}, which every connection in a process shares, and where each agent would see every other
 * host's guests as its own. The test driver defines and starts domains in memory and runs no guest.
 */
final class InProcessAgents implements AutoCloseable {

    /** An empty test-driver node: no domains, networks or pools to begin with. */
    private static final String EMPTY_NODE = "<node/>\n";
    private static final Duration WELCOME_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration KEEPALIVE = Duration.ofSeconds(30);
    /** Agents closing at once: each may wait up to two seconds for the control plane to end its session. */
    private static final int CLOSING_AT_ONCE = 16;

    private final List<Agent> agents;
    private final Path root;

    private InProcessAgents(List<Agent> agents, Path root) {
        this.agents = agents;
        this.root = root;
    }

    /**
     * Starts one agent per identity, under {@code root}, connecting to {@code controlPlane}; returns once each is
     * connecting. The agents report KVM as unusable ({@link KvmMode#OFF}) and serve their metrics on free ports.
     */
    static InProcessAgents start(List<AgentIdentity> identities, HostPort controlPlane, Path root) throws IOException {
        List<Agent> agents = new ArrayList<>();
        InProcessAgents started = new InProcessAgents(agents, root);
        try {
            for (AgentIdentity identity : identities) {
                Path host = Files.createDirectories(root.resolve(identity.hostId()));
                Path hypervisor = Files.writeString(host.resolve("test-driver.xml"), EMPTY_NODE);
                StateDirectory state = new StateDirectory(host.resolve("state"));
                state.storeJoin(identity);
                agents.add(Agent.start(new AgentConfig(List.of(controlPlane), host.resolve("state"), host.resolve("guests"),
                        "test://" + hypervisor.toAbsolutePath(), new HostPort("127.0.0.1", 0), KvmMode.OFF,
                        AgentConfig.Reconnect.DEFAULT, WELCOME_TIMEOUT, KEEPALIVE)));
            }
            return started;
        } catch (IOException | RuntimeException e) {
            started.close();
            throw e;
        }
    }

    /** The root disks the agents created, all hosts together: one per instance they were told to run. */
    long rootDisks() throws IOException {
        long disks = 0;
        for (Path host : listed(root)) {
            Path guests = host.resolve("guests");
            if (Files.isDirectory(guests)) {
                for (Path guest : listed(guests)) {
                    if (Files.isRegularFile(guest.resolve(Guests.ROOT_DISK_FILE))) {
                        disks++;
                    }
                }
            }
        }
        return disks;
    }

    /** Stops every agent as SIGTERM does, ending its session cleanly, several at a time. */
    @Override
    public void close() {
        ExecutorService closing = Executors.newFixedThreadPool(CLOSING_AT_ONCE);
        agents.forEach(agent -> closing.execute(agent::close));
        closing.shutdown();
        try {
            closing.awaitTermination(1, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static List<Path> listed(Path directory) throws IOException {
        try (Stream<Path> entries = Files.list(directory)) {
            return entries.toList();
        }
    }
}
