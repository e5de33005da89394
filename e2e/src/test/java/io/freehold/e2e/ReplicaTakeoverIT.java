package io.freehold.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * Two control-plane replicas as separate JVMs on one real PostgreSQL server (the one {@code scripts/test.sh}
 * starts), with the same CA key file as the operator guide prescribes, and one agent that knows both
 * replicas' addresses. The replica holding the agent is killed with SIGKILL: no shutdown hook, no
 * clean end of its streams, its session row left naming it.
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class ReplicaTakeoverIT {

    /**
     * The agent sees the killed replica's connection reset at once (its kernel closes the sockets) and
     * dials the next address after a jittered backoff below 1 s; a TLS handshake and a Hello follow.
     * The bound is the silence limit (3 × 5 s): a take-over slower than that would let the liveness
     * sweep mark the host UNREACHABLE, which a replica's death must not do to its hosts.
     */
    private static final Duration TAKEOVER_LIMIT = Duration.ofSeconds(15);
    /** An agent JVM's start, the libvirt probe and the TLS handshake, on a loaded machine; typically 5–15 s. */
    private static final Duration AGENT_START_LIMIT = Duration.ofSeconds(90);
    /** Two heartbeat intervals and some: the next heartbeat must be recorded. */
    private static final Duration NEXT_HEARTBEAT_LIMIT = Duration.ofSeconds(15);

    @RegisterExtension
    final TestResources resources = new TestResources();

    /**
     * After replica A is killed, the agent's next stream is to replica B, B holds the host's session, the
     * host never left READY, heartbeats go on being recorded, and nothing is recorded twice.
     */
    @Test
    void whenTheReplicaHoldingAHostIsKilledTheOtherReplicaTakesTheHostOverWhileItStaysReady() throws Exception {
        PostgresDatabase database = resources.closeAtEnd(PostgresDatabase.createOn(Preconditions.postgresServer()));
        Set<Integer> ports = new LinkedHashSet<>();
        while (ports.size() < 4) {
            ports.add(LoopbackPort.free());
        }
        var port = ports.iterator();
        int restA = port.next();
        int agentA = port.next();
        int restB = port.next();
        int agentB = port.next();

        // One key file for every replica, as an operator provisions it: it decrypts the one CA in the database.
        String caKey = Base64.getEncoder().encodeToString(new SecureRandom().generateSeed(32)) + "\n";
        // Started side by side: the first start of an installation is a race for the CA and the bootstrap admin.
        ControlPlane a = startReplica("replica-a", database, restA, agentA, caKey);
        ControlPlane b = startReplica("replica-b", database, restB, agentB, caKey);
        a.awaitHealthy();
        b.awaitHealthy();
        assertThat(List.of(a.wroteAdminToken(), b.wroteAdminToken()))
                .as("exactly one replica created the bootstrap admin and wrote its token").containsOnlyOnce(true);
        String token = (a.wroteAdminToken() ? a : b).adminToken();
        OpsApi opsA = new OpsApi(a.restBase(), token);
        OpsApi opsB = new OpsApi(b.restBase(), token);
        String replicaA = a.replicaId();
        String replicaB = b.replicaId();
        assertThat(replicaA).isNotEqualTo(replicaB);

        String slot = opsA.createHostSlot(opsA.createRack(opsA.createSite("e2e-replicas"), "r1"), 1, "hv-e2e-02");
        String joinCommand = opsA.createJoinToken(slot).path("joinCommand").asString();
        Agent agent = Agent.configure(resources, command -> command, List.of("127.0.0.1:" + agentA, "127.0.0.1:" + agentB));
        assertThat(agent.join(joinCommand)).as("the host id the agent printed").isEqualTo(slot);
        ChildProcess agentRun = agent.run();

        long started = System.nanoTime();
        Poll.until("the host is READY, as replica B sees it", started, AGENT_START_LIMIT,
                () -> opsB.host(slot).path("state").asString(), "READY"::equals);
        Poll.until("replica A holds the host's session (the first address in the agent's rotation)", started, AGENT_START_LIMIT,
                () -> database.value("select replica_id from agent_session where host_id = ?", slot), replicaA::equals);
        Object connectionOnA = database.value("select connection_id from agent_session where host_id = ?", slot);

        long killed = System.nanoTime();
        Instant killedAt = Instant.now();
        a.process().kill();
        Poll.Outcome<Object> takeover = Poll.until("replica B holds the host's session", killed, TAKEOVER_LIMIT,
                () -> database.value("select replica_id from agent_session where host_id = ?", slot), replicaB::equals);
        System.out.printf("[e2e] replica A SIGKILL → session on replica B: %s%n", takeover.seconds());

        // Only B is alive to record a heartbeat after A died.
        JsonNode host = Poll.until("a heartbeat after replica A's death is recorded", System.nanoTime(), NEXT_HEARTBEAT_LIMIT,
                () -> opsB.host(slot), seen -> Instant.parse(seen.path("lastHeartbeatAt").asString()).isAfter(killedAt)).value();
        assertThat(host.path("state").asString()).as("the host's state on replica B").isEqualTo("READY");
        assertThat(database.value("select connection_id from agent_session where host_id = ?", slot))
                .as("B's session is a new stream").isNotEqualTo(connectionOnA);
        assertThat(((Timestamp) database.value("select lease_expires_at from agent_session where host_id = ?", slot)).toInstant())
                .as("B's lease on the host").isAfter(Instant.now());
        assertThat(agentRun.output()).as("the agent's log").contains("connected address=127.0.0.1:" + agentB);

        // The host never left READY, so a take-over adds no event; a second Hello on READY is no transition.
        assertThat(opsB.hostEvents(slot)).extracting(event -> event.path("kind").asString())
                .as("host events").containsExactly("registered", "joined", "connected");
        assertThat(rowCounts(database)).as("rows after the take-over").isEqualTo(Map.of(
                "agent_session", 1L,
                "host", 1L,
                "host_event", 3L,
                "certificate_authority", 1L,
                "app_user", 1L,
                "join_token", 1L));
    }

    private ControlPlane startReplica(String name, PostgresDatabase database, int restPort, int agentPort, String caKey)
            throws Exception {
        Path home = resources.directory(name + "-home");
        Files.writeString(Files.createFile(home.resolve("ca.key"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))), caKey, StandardCharsets.US_ASCII);
        Map<String, String> environment = new HashMap<>();
        environment.put("FREEHOLD_DB_URL", database.jdbcUrl());
        environment.put("FREEHOLD_DB_USER", database.user());
        environment.put("FREEHOLD_DB_PASSWORD", "");
        environment.put("FREEHOLD_PORT", Integer.toString(restPort));
        environment.put("FREEHOLD_AGENT_PORT", Integer.toString(agentPort));
        environment.put("FREEHOLD_BIND_ADDRESS", "127.0.0.1");
        List<String> command = ControlPlane.command(Map.of(
                "freehold.agentlink.bind-address", "127.0.0.1",
                "freehold.agentlink.server-names", "127.0.0.1"));
        return ControlPlane.start(resources, name, command, home, environment, "http://127.0.0.1:" + restPort);
    }

    /** Rows per table that a duplicate Hello, event, CA or bootstrap would multiply. */
    private static Map<String, Long> rowCounts(PostgresDatabase database) throws Exception {
        Map<String, Long> counts = new HashMap<>();
        for (String table : List.of("agent_session", "host", "host_event", "certificate_authority", "app_user", "join_token")) {
            counts.put(table, database.count(table));
        }
        return counts;
    }
}
