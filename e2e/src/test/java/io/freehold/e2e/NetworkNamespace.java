package io.freehold.e2e;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A network namespace this test run created, named {@code fhe2e-<pid of the test JVM>-<n>-<purpose>}: unique
 * per run, and a later run can tell a dead run's leftovers (its pid is gone) from a concurrent run's.
 * Closing it kills every process inside — whoever started them, orphans such as an embedded PostgreSQL
 * included — and deletes it, which deletes its interfaces too.
 */
final class NetworkNamespace implements AutoCloseable {

    private static final String PREFIX = "fhe2e-";
    private static final AtomicInteger COUNT = new AtomicInteger();
    private static final Duration PROCESSES_GONE = Duration.ofSeconds(30);

    private final String name;

    private NetworkNamespace(String name) {
        this.name = name;
    }

    /** A new namespace with its loopback up (an embedded PostgreSQL and local relays listen there). */
    static NetworkNamespace create(String purpose) {
        String name = PREFIX + ProcessHandle.current().pid() + "-" + COUNT.incrementAndGet() + "-" + purpose;
        Command.run("ip", "netns", "add", name);
        NetworkNamespace namespace = new NetworkNamespace(name);
        namespace.ip("link", "set", "lo", "up");
        return namespace;
    }

    /** Deletes the namespaces of earlier runs that died before they could (SIGKILL, a lost terminal). */
    static void removeLeftoversOfDeadRuns() {
        for (String line : Command.run("ip", "netns", "list").lines().toList()) {
            String name = line.split(" ", 2)[0];
            if (!name.startsWith(PREFIX)) {
                continue;
            }
            String owner = name.substring(PREFIX.length()).split("-", 2)[0];
            boolean ownerAlive = owner.chars().allMatch(Character::isDigit)
                    && ProcessHandle.of(Long.parseLong(owner)).map(ProcessHandle::isAlive).orElse(false);
            if (!ownerAlive) {
                System.out.println("[e2e] removing network namespace " + name + " left behind by a dead test run");
                new NetworkNamespace(name).close();
            }
        }
    }

    String name() {
        return name;
    }

    /** {@code command} run inside this namespace. {@code ip netns exec} execs it, so its pid is the command's own. */
    List<String> command(List<String> command) {
        List<String> inside = new ArrayList<>(List.of("ip", "netns", "exec", name));
        inside.addAll(command);
        return inside;
    }

    /** Runs {@code ip <arguments>} against this namespace. */
    void ip(String... arguments) {
        List<String> command = new ArrayList<>(List.of("ip", "-n", name));
        command.addAll(List.of(arguments));
        Command.run(command);
    }

    @Override
    public void close() {
        long deadline = System.nanoTime() + PROCESSES_GONE.toNanos();
        List<Long> inside = pids();
        while (!inside.isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("processes " + inside + " in network namespace " + name + " survived SIGKILL");
            }
            inside.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                // Finish the clean-up all the same: a namespace left behind would outlive the build.
                Thread.currentThread().interrupt();
            }
            inside = pids();
        }
        Command.run("ip", "netns", "delete", name);
    }

    private List<Long> pids() {
        return Command.run("ip", "netns", "pids", name).lines().map(String::strip).filter(line -> !line.isEmpty())
                .map(Long::parseLong).toList();
    }

    @Override
    public String toString() {
        return name;
    }
}
