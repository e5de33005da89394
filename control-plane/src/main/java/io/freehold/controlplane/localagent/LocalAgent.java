package io.freehold.controlplane.localagent;

import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import io.freehold.controlplane.inventory.AgentEndpoint;
import io.freehold.controlplane.inventory.AllInOneHostSlot;
import io.freehold.controlplane.inventory.HostRegistry;
import io.freehold.controlplane.inventory.HostState;
import io.freehold.controlplane.inventory.IssuedJoinToken;
import io.freehold.controlplane.localagent.decision.LocalHypervisor;
import io.freehold.controlplane.platform.FreeholdProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Runs the local agent of all-in-one mode once the control plane is ready, and keeps it running: the
 * agent joins if it never has, then runs; when it exits on its own it is started again after a backoff.
 * It is stopped (SIGTERM, so it closes its stream cleanly) when the context closes, which happens before
 * the agent endpoint and the database stop. A control plane that was killed cannot stop its agent, so
 * the next start kills the one the pid file names.
 */
@Component
class LocalAgent {

    private static final Logger log = LoggerFactory.getLogger(LocalAgent.class);
    private static final Duration JOIN_TOKEN_LIFETIME = Duration.ofMinutes(10);
    private static final Duration JOIN_LIMIT = Duration.ofMinutes(2);
    private static final Duration STOP_LIMIT = Duration.ofSeconds(10);
    private static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);
    private static final Duration MAX_BACKOFF = Duration.ofMinutes(1);
    /** An agent that ran this long was healthy; if it exits now, the next start need not wait long. */
    private static final Duration STABLE_RUN = Duration.ofMinutes(1);

    private final LocalAgentProperties properties;
    private final LocalAgentFiles files;
    private final AllInOneHostSlot slot;
    private final HostRegistry registry;
    private final AgentEndpoint endpoint;
    private final boolean allInOne;
    private volatile boolean stopping;
    private volatile Process running;
    private volatile Thread supervisor;

    LocalAgent(LocalAgentProperties properties, AllInOneHostSlot slot, HostRegistry registry, AgentEndpoint endpoint,
               FreeholdProperties freehold) {
        this.properties = properties;
        this.files = new LocalAgentFiles(properties);
        this.slot = slot;
        this.registry = registry;
        this.endpoint = endpoint;
        this.allInOne = !freehold.db().external();
    }

    @EventListener
    void start(ApplicationReadyEvent ready) {
        if (!allInOne || !properties.enabled()) {
            return;
        }
        if (properties.jar() == null || properties.jar().isBlank()) {
            log.warn("All-in-one mode without a local agent: FREEHOLD_AGENT_JAR is not set (scripts/all-in-one.sh sets it), "
                    + "so this machine will not appear as a host");
            return;
        }
        Path jar = Path.of(properties.jar()).toAbsolutePath().normalize();
        if (!Files.isRegularFile(jar)) {
            log.warn("All-in-one mode without a local agent: no agent jar at {} (build it with 'mvn -DskipTests package')", jar);
            return;
        }
        Optional<String> address = endpoint.loopbackAddress();
        if (address.isEmpty()) {
            log.warn("All-in-one mode without a local agent: the agent endpoint is off, or does not listen on loopback under a "
                    + "name its certificate carries (freehold.agentlink.bind-address, freehold.agentlink.server-names)");
            return;
        }
        AgentCommandLines commands = new AgentCommandLines(jar, properties.config().toAbsolutePath());
        try {
            stopOrphan(commands);
            LocalHypervisor hypervisor = LocalHypervisor.choose(properties.libvirtUri(), LibvirtDaemons.runningAsRoot(),
                    LibvirtDaemons.systemAnswers(), LibvirtDaemons.sessionAnswers(), properties.directory());
            announce(hypervisor);
            files.writeConfig(address.get(), hypervisor);
        } catch (IOException e) {
            log.error("All-in-one mode without a local agent: cannot prepare {}", properties.directory(), e);
            return;
        }
        Thread thread = new Thread(() -> supervise(commands, address.get()), "local-agent");
        thread.setDaemon(true);
        supervisor = thread;
        thread.start();
    }

    @EventListener
    void stop(ContextClosedEvent closed) {
        stopping = true;
        Thread thread = supervisor;
        if (thread == null) {
            return;
        }
        // The child first: once interrupted, the supervisor forgets which process it was waiting for.
        Process process = running;
        if (process != null) {
            terminate(process.toHandle());
        }
        thread.interrupt();
        try {
            thread.join(STOP_LIMIT.toMillis());
            files.deletePid();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            log.warn("could not delete {}", properties.pidFile(), e);
        }
    }

    private void supervise(AgentCommandLines commands, String address) {
        Duration backoff = FIRST_BACKOFF;
        while (!stopping) {
            try {
                Optional<String> hostId = files.joinedHostId();
                if (hostId.isEmpty()) {
                    join(commands, address);
                } else if (!admitted(hostId.get())) {
                    return;
                } else {
                    long started = System.nanoTime();
                    int status = runUntilExit(commands.run(), hostId.get());
                    if (stopping) {
                        return;
                    }
                    if (Duration.ofNanos(System.nanoTime() - started).compareTo(STABLE_RUN) > 0) {
                        backoff = FIRST_BACKOFF;
                    }
                    log.warn("the local agent exited with status {}; restarting it in {} s (its log: {})", status,
                            backoff.toSeconds(), properties.log());
                }
            } catch (IOException e) {
                log.warn("the local agent could not be started: {}; retrying in {} s", e.getMessage(), backoff.toSeconds());
            } catch (RuntimeException e) {
                log.warn("the local agent could not be started; retrying in {} s", backoff.toSeconds(), e);
            } catch (InterruptedException e) {
                return;
            }
            try {
                Thread.sleep(backoff.toMillis());
            } catch (InterruptedException e) {
                return;
            }
            backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
        }
    }

    /** Joins exactly as ops would on another server: a token, then the agent's own join over the agent endpoint. */
    private void join(AgentCommandLines commands, String address) throws IOException, InterruptedException {
        IssuedJoinToken token = slot.issueJoinToken(JOIN_TOKEN_LIFETIME);
        log.info("the local agent joins {} as {}", address, token.hostId() == null ? "a new unracked host" : "host " + token.hostId());
        int status = runUntilExit(commands.join(address, token.token(), endpoint.caFingerprint()), null);
        if (status != 0) {
            throw new IOException("the local agent's join exited with status " + status + "; see " + properties.log());
        }
    }

    /** A host that ops revoked or deleted stays so: the local agent does not come back behind their backs. */
    private boolean admitted(String hostId) {
        Optional<HostState> state = registry.state(hostId);
        if (state.isPresent() && state.get() != HostState.REVOKED) {
            return true;
        }
        log.warn("the local agent's host {} was {}; it stays stopped. To join this machine again, delete {} and restart",
                hostId, state.isEmpty() ? "deleted" : "revoked", properties.stateDir());
        return false;
    }

    private int runUntilExit(List<String> command, String hostId) throws IOException, InterruptedException {
        files.rotateLogIfLarge();
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(Redirect.appendTo(properties.log().toFile()))
                .start();
        running = process;
        if (stopping) {
            terminate(process.toHandle());
        }
        try {
            if (hostId == null) {
                if (!process.waitFor(JOIN_LIMIT.toSeconds(), TimeUnit.SECONDS)) {
                    terminate(process.toHandle());
                    throw new IOException("the local agent's join did not finish within " + JOIN_LIMIT.toSeconds() + " s");
                }
                return process.exitValue();
            }
            files.writePid(process.pid());
            log.info("local agent for host {} running (pid {}, log {})", hostId, process.pid(), properties.log());
            return process.waitFor();
        } finally {
            running = null;
        }
    }

    private void stopOrphan(AgentCommandLines commands) throws IOException {
        Optional<ProcessHandle> orphan = files.pid().flatMap(ProcessHandle::of).filter(ProcessHandle::isAlive)
                .filter(commands::isThisAgent);
        if (orphan.isPresent()) {
            log.warn("stopping the local agent (pid {}) left running by a control plane that did not shut down", orphan.get().pid());
            terminate(orphan.get());
        }
        files.deletePid();
    }

    private static void terminate(ProcessHandle process) {
        process.destroy();
        try {
            process.onExit().get(STOP_LIMIT.toSeconds(), TimeUnit.SECONDS);
        } catch (Exception notYet) {
            process.destroyForcibly();
        }
    }

    private static void announce(LocalHypervisor hypervisor) {
        if (hypervisor.simulated()) {
            log.warn("""

                    *** SIMULATED HYPERVISOR ***  The local agent uses libvirt's {} driver because {}.
                    Its guests are not real machines. For real ones, install and start libvirtd
                    (libvirt-daemon-system, qemu-system-x86) and restart Freehold.""", hypervisor.libvirtUri(), hypervisor.reason());
        } else {
            log.info("the local agent uses {} ({}), guest storage {}", hypervisor.libvirtUri(), hypervisor.reason(),
                    hypervisor.guestStorage());
        }
    }
}
