package io.freehold.bench;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

import io.freehold.agent.guest.CommandRunner;
import io.freehold.agent.guest.GuestFailure;
import io.freehold.agent.guest.GuestInventory;
import io.freehold.agent.guest.Guests;
import org.libvirt.Connect;
import org.libvirt.ErrorCallback;
import org.libvirt.LibvirtException;

/**
 * The simulated hosts' hypervisor: libvirt's test driver, in this process, driven by the agent's own {@link CommandRunner}
 * — one per host, each with its worker thread, its libvirt connection and its guest storage directory, where it creates
 * the real qcow2 root disks with qemu-img, as on separate machines. Only the hypervisor is simulated: the test driver
 * defines and starts domains in memory and runs no guest.
 *
 * <p>The test driver's {@code test:///default} state is one per process, shared by every connection to it, so all hosts'
 * guests are domains of one in-memory hypervisor. That is harmless, because a domain's name is its instance id, unique
 * across the installation, and each host only touches the domains of its own commands.
 */
final class TestDriverHosts implements AutoCloseable {

    static final String URI = "test:///default";

    /** How long the agents took per command, from its arrival on the stream to its answer (queue and execution). */
    final LatencySamples commandLatency = new LatencySamples();
    final LongAdder succeeded = new LongAdder();
    final LongAdder failed = new LongAdder();

    private final Path storage;
    private final Map<String, CommandRunner> runners = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> commandsByHost = new ConcurrentHashMap<>();

    /** @param storage under which each host gets its guest storage directory, named by its host id */
    TestDriverHosts(Path storage) throws LibvirtException {
        this.storage = storage;
        // libvirt-java's default callback prints every libvirt error to stderr; the agent silences it the same way.
        Connect.setErrorCallback(new ErrorCallback());
    }

    /** The host's command runner, made at its first command; KVM is never usable on the test driver. */
    SimulatedStream.Commands forHost(String hostId) {
        return (command, answer) -> {
            long arrived = System.nanoTime();
            commandsByHost.computeIfAbsent(hostId, host -> new LongAdder()).increment();
            runners.computeIfAbsent(hostId, host -> new CommandRunner(URI, storage.resolve(host), () -> false))
                    .submit(command, result -> {
                        commandLatency.add(System.nanoTime() - arrived);
                        (result.getSucceeded() ? succeeded : failed).increment();
                        answer.accept(result);
                    });
        };
    }

    /**
     * How the commands were spread over the hosts: each host carries its commands out one at a time, so the share of
     * the busiest host bounds how many commands all hosts together carry out per second.
     */
    String spread() {
        long total = commandsByHost.values().stream().mapToLong(LongAdder::sum).sum();
        long busiest = commandsByHost.values().stream().mapToLong(LongAdder::sum).max().orElse(0);
        return String.format("%d hosts got commands, the busiest %.0f%% of them", commandsByHost.size(),
                total == 0 ? 0.0 : 100.0 * busiest / total);
    }

    /** What the hypervisor holds now, read through a connection of its own as the agent's {@code list} reads it. */
    GuestInventory inventory() throws LibvirtException, GuestFailure {
        Connect connect = new Connect(URI, false);
        try {
            return new Guests(connect, storage).list();
        } finally {
            connect.close();
        }
    }

    /** Lets each host finish the command it is carrying out, then closes its libvirt connection. */
    @Override
    public void close() {
        runners.values().forEach(CommandRunner::close);
    }
}
