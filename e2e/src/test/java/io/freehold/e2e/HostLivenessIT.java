package io.freehold.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * Host liveness with nothing simulated: the packaged control plane (embedded PostgreSQL) in one network
 * namespace, the packaged agent in another, a veth pair between them, and every check through the ops
 * REST API. Default heartbeat settings (every 5 s, UNREACHABLE after 3 missed), so the bounds below test
 * the real mechanism.
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class HostLivenessIT {

    private static final int REST_PORT = 8080;
    private static final int AGENT_PORT = 9443;
    /**
     * The bound for a silent host. The mechanism needs at most 3 × 5 s of silence after the
     * last heartbeat (which came before the cut) plus one 1-s liveness sweep: 16 s.
     */
    private static final Duration SILENT_HOST_LIMIT = Duration.ofSeconds(20);
    /** A killed agent's socket is closed by its kernel at once, so its stream ends at once; same bound as silence. */
    private static final Duration KILLED_AGENT_LIMIT = Duration.ofSeconds(20);
    /**
     * A link that comes back: the agent's stream either resumes or has already failed, and the agent
     * retries after at most its largest backoff ({@code reconnect_max_backoff}, 30 s) plus one welcome
     * timeout (10 s). Typically 1–3 s.
     */
    private static final Duration RECONNECT_LIMIT = Duration.ofSeconds(60);
    /** An agent JVM's start, the libvirt probe and the TLS handshake, on a loaded machine; typically 5–15 s. */
    private static final Duration AGENT_START_LIMIT = Duration.ofSeconds(90);
    /** Two heartbeat intervals and some: the next heartbeat must be recorded. */
    private static final Duration NEXT_HEARTBEAT_LIMIT = Duration.ofSeconds(15);

    @RegisterExtension
    final TestResources resources = new TestResources();

    /**
     * A host is READY with its real facts; a cut link makes it UNREACHABLE by missed heartbeats within
     * 20 s while its agent keeps running; the restored link makes it READY again without help; a killed
     * agent makes it UNREACHABLE by the end of its stream; a restarted agent makes it READY. Each
     * transition is a host event with the kind that names its cause.
     */
    @Test
    void aHostIsUnreachableWhileItsLinkIsCutOrItsAgentIsDeadAndReadyAgainWhenEitherComesBack() throws Exception {
        Preconditions.requireRootAndCommands("ip", "socat");
        NetworkNamespace.removeLeftoversOfDeadRuns();
        HostNetwork network = resources.closeAtEnd(HostNetwork.create());

        String restBase = RestRelay.open(resources, network.controlPlane(), REST_PORT);
        ControlPlane controlPlane = ControlPlane.start(resources, "control-plane",
                network.controlPlane().command(ControlPlane.command(Map.of(
                        "freehold.agentlink.bind-address", HostNetwork.CONTROL_PLANE_ADDRESS,
                        // The address the agent dials must be in the server certificate, and join commands name the first one.
                        "freehold.agentlink.server-names", HostNetwork.CONTROL_PLANE_ADDRESS))),
                resources.directory("control-plane-home"),
                Map.of("FREEHOLD_PORT", Integer.toString(REST_PORT), "FREEHOLD_AGENT_PORT", Integer.toString(AGENT_PORT),
                        "FREEHOLD_BIND_ADDRESS", "127.0.0.1"),
                restBase).awaitHealthy();
        OpsApi ops = new OpsApi(restBase, controlPlane.adminToken());

        String site = ops.createSite("e2e-liveness");
        String rack = ops.createRack(site, "r1");
        String slot = ops.createHostSlot(rack, 10, "hv-e2e-01");
        String joinCommand = ops.createJoinToken(slot).path("joinCommand").asString();
        assertThat(joinCommand).as("the join command dials the control plane's namespace")
                .contains("--server " + HostNetwork.CONTROL_PLANE_ADDRESS + ":" + AGENT_PORT);

        Agent agent = Agent.configure(resources, network.host()::command, List.of());
        assertThat(agent.join(joinCommand)).as("the host id the agent printed").isEqualTo(slot);

        ChildProcess firstRun = agent.run();
        long started = System.nanoTime();
        Poll.Outcome<JsonNode> first = awaitState(ops, slot, "READY", "the host is READY after its agent started", started,
                AGENT_START_LIMIT);
        report("agent started → READY", first);
        JsonNode ready = first.value();
        expectTheFactsOfThisMachine(ready.path("facts"), agent.stateDir());
        awaitNextHeartbeat(ops, slot, ready);

        long cut = System.nanoTime();
        network.cutHostLink();
        report("link cut → UNREACHABLE", awaitState(ops, slot, "UNREACHABLE", "the host is UNREACHABLE after its link was cut",
                cut, SILENT_HOST_LIMIT));
        assertThat(firstRun.isAlive()).as("the agent keeps running while its link is cut").isTrue();
        JsonNode silent = latestEvent(ops, slot);
        assertThat(transition(silent)).as("the event of the cut").isEqualTo("missed-heartbeats READY→UNREACHABLE");
        assertThat(silent.path("reason").asString()).as("its reason").isEqualTo("no heartbeat for 15 s (3 missed)");

        long restored = System.nanoTime();
        network.restoreHostLink();
        report("link restored → READY", awaitState(ops, slot, "READY", "the host is READY again after its link came back",
                restored, RECONNECT_LIMIT));
        assertThat(firstRun.isAlive()).as("the same agent process came back by itself").isTrue();
        // The old stream resumes if its kernel has not given it up yet (grpc-java sets TCP_USER_TIMEOUT to the agent's
        // 10-s keepalive timeout); otherwise the agent dials anew. Which one depends on where in the heartbeat cycle the cut fell.
        assertThat(transition(latestEvent(ops, slot))).as("the event of the restored link")
                .isIn("heartbeat UNREACHABLE→READY", "connected UNREACHABLE→READY");

        long killed = System.nanoTime();
        firstRun.kill();
        report("agent SIGKILL → UNREACHABLE", awaitState(ops, slot, "UNREACHABLE", "the host is UNREACHABLE after its agent was killed",
                killed, KILLED_AGENT_LIMIT));
        assertThat(transition(latestEvent(ops, slot))).as("the event of the killed agent: its stream ended, no silence needed")
                .isEqualTo("disconnected READY→UNREACHABLE");

        String firstIncarnation = ready.path("facts").path("incarnationId").asString();
        agent.run();
        long restarted = System.nanoTime();
        Poll.Outcome<JsonNode> back = awaitState(ops, slot, "READY", "the host is READY after its agent restarted",
                restarted, AGENT_START_LIMIT);
        report("agent restarted → READY", back);
        assertThat(back.value().path("facts").path("incarnationId").asString())
                .as("the restarted agent is a new incarnation").isNotEqualTo(firstIncarnation);
        assertThat(transition(latestEvent(ops, slot))).as("the event of the restarted agent")
                .isEqualTo("connected UNREACHABLE→READY");

        expectAnUnbrokenHistory(ops.hostEvents(slot));
    }

    /**
     * The whole history: the slot's registration, the join and the first connection, then state changes
     * that each start where the previous one ended — a transition recorded twice would break the chain.
     */
    private static void expectAnUnbrokenHistory(List<JsonNode> events) {
        assertThat(events.subList(0, 3)).extracting(HostLivenessIT::transition).as("the first host events").containsExactly(
                "registered -→REGISTERED", "joined -→REGISTERED", "connected REGISTERED→READY");
        List<JsonNode> changes = events.stream().filter(event -> event.has("fromState")).toList();
        for (int i = 1; i < changes.size(); i++) {
            assertThat(changes.get(i).path("fromState").asString()).as("state before %s, after %s", transition(changes.get(i)),
                    transition(changes.get(i - 1))).isEqualTo(changes.get(i - 1).path("toState").asString());
        }
        List<Instant> times = events.stream().map(event -> Instant.parse(event.path("occurredAt").asString())).toList();
        assertThat(times).as("event times").isSorted();
    }

    private static JsonNode latestEvent(OpsApi ops, String hostId) {
        List<JsonNode> events = ops.hostEvents(hostId);
        return events.get(events.size() - 1);
    }

    /** An event as {@code kind from→to}, with {@code -} for a state it does not name. */
    private static String transition(JsonNode event) {
        return event.path("kind").asString() + " " + event.path("fromState").asString("-") + "→" + event.path("toState").asString("-");
    }

    /** What the agent measured, compared with what this machine says: the namespace changes the network only. */
    private static void expectTheFactsOfThisMachine(JsonNode facts, Path agentStateDir) throws IOException {
        String cpuinfo = Files.readString(Path.of("/proc/cpuinfo"));
        long processors = cpuinfo.lines().filter(line -> line.startsWith("processor")).count();
        long memTotalKib = Files.readAllLines(Path.of("/proc/meminfo")).stream()
                .filter(line -> line.startsWith("MemTotal:"))
                .mapToLong(line -> Long.parseLong(line.replaceAll("\\D", "")))
                .findFirst().orElseThrow();
        assertThat(facts.path("hostname").asString()).isEqualTo(Files.readString(Path.of("/proc/sys/kernel/hostname")).strip());
        assertThat(facts.path("bootId").asString()).isEqualTo(Files.readString(Path.of("/proc/sys/kernel/random/boot_id")).strip());
        assertThat(facts.path("cpuThreads").asLong()).isEqualTo(processors);
        assertThat(facts.path("memoryBytes").asLong()).isEqualTo(memTotalKib * 1024);
        assertThat(facts.path("storagePath").asString()).isEqualTo(agentStateDir.resolve("guests").toString());
        assertThat(facts.path("storageBytes").asLong()).isPositive();
        assertThat(facts.path("libvirtUri").asString()).isEqualTo("test:///default");
        assertThat(facts.path("libvirtVersion").asString())
                .as("libvirt's version, empty when the agent could not load libvirt0").matches("\\d+\\.\\d+\\.\\d+");
        assertThat(facts.path("protocolVersion").asInt()).as("the protocol version the agent speaks (4 since images, seeds and consoles)").isEqualTo(4);
        assertThat(facts.path("incarnationId").asString()).isNotBlank();
    }

    /** Heartbeats are recorded, not only the Hello: the host's last-heard time moves on. */
    private static void awaitNextHeartbeat(OpsApi ops, String hostId, JsonNode host) throws InterruptedException {
        Instant before = Instant.parse(host.path("lastHeartbeatAt").asString());
        Poll.until("a heartbeat after " + before + " is recorded", System.nanoTime(), NEXT_HEARTBEAT_LIMIT,
                () -> Instant.parse(ops.host(hostId).path("lastHeartbeatAt").asString()), heard -> heard.isAfter(before));
    }

    private static Poll.Outcome<JsonNode> awaitState(OpsApi ops, String hostId, String state, String what, long since,
                                                     Duration limit) throws InterruptedException {
        return Poll.until(what, since, limit, () -> ops.host(hostId), host -> host.path("state").asString().equals(state));
    }

    private static void report(String step, Poll.Outcome<?> outcome) {
        System.out.printf("[e2e] %s: %s%n", step, outcome.seconds());
    }
}
