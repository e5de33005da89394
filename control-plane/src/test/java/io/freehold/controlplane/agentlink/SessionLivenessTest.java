package io.freehold.controlplane.agentlink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;

import io.freehold.agent.v1.AgentMessage;
import io.freehold.agent.v1.ProtocolVersion;
import io.freehold.agent.v1.Welcome;
import io.freehold.controlplane.inventory.HostState;
import io.grpc.Status;
import org.junit.jupiter.api.Test;

/**
 * A Connect stream's life over real mutual TLS: Hello makes the host READY and records the session,
 * heartbeats keep it alive, silence or a closed stream makes it UNREACHABLE, and the newest stream
 * of a host owns its session. Heartbeats are 1 s; a host may miss 3; the sweep runs every second.
 */
class SessionLivenessTest extends AgentLinkApiTest {

    @Test
    void helloMakesTheHostReadyAndRecordsTheSessionWithTheClockOffset() {
        String hostname = uniqueHostname("hello");
        TestAgent agent = joined(hostname);
        assertThat(state(agent.hostId)).isEqualTo(HostState.REGISTERED);
        var facts = TestAgent.facts(hostname);
        Instant agentClockFiveSecondsBehind = clock.instant().minusSeconds(5);

        AgentStream stream = agent.connect();
        stream.send(TestAgent.hello(facts, agentClockFiveSecondsBehind));
        Welcome welcome = stream.next().getWelcome();

        assertThat(welcome.getHostId()).isEqualTo(agent.hostId);
        assertThat(welcome.getHeartbeatInterval().getSeconds()).isEqualTo(1);
        assertThat(welcome.getProtocolVersion()).isEqualTo(ProtocolVersion.PROTOCOL_VERSION_1);
        assertThat(welcome.getServerTime().getSeconds()).isCloseTo(clock.instant().getEpochSecond(), within(2L));
        assertThat(state(agent.hostId)).isEqualTo(HostState.READY);
        assertThat(events(agent.hostId)).containsExactly("joined:null->REGISTERED", "connected:REGISTERED->READY");
        var session = sessionRow(agent.hostId);
        assertThat(session).containsEntry("replica_id", replica.value())
                .containsEntry("boot_id", facts.getBootId())
                .containsEntry("incarnation_id", facts.getIncarnationId());
        assertThat((Long) session.get("clock_offset_ms")).isBetween(5_000L, 6_000L);
        assertThat(Duration.between(instant(session.get("connected_at")), instant(session.get("lease_expires_at"))))
                .isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void heartbeatsRecordUtilisationAndExtendTheLease() {
        String hostname = uniqueHostname("beats");
        TestAgent agent = joined(hostname);
        AgentStream stream = connected(agent, hostname);
        Instant firstLease = instant(sessionRow(agent.hostId).get("lease_expires_at"));

        sleep(Duration.ofMillis(100));
        stream.send(TestAgent.heartbeat());

        awaitTrue(() -> (Boolean) hostRow(agent.hostId).get("has_utilisation"), "the heartbeat's utilisation is stored");
        assertThat(instant(sessionRow(agent.hostId).get("lease_expires_at"))).isAfter(firstLease);
        assertThat(state(agent.hostId)).isEqualTo(HostState.READY);
    }

    @Test
    void aSilentHostBecomesUnreachableWithinTheSilenceLimitAndReadyWhenHeartbeatsResume() {
        String hostname = uniqueHostname("silent");
        TestAgent agent = joined(hostname);
        AgentStream stream = connected(agent, hostname);
        long helloAt = System.nanoTime();

        awaitState(agent.hostId, HostState.UNREACHABLE, Duration.ofSeconds(6));
        Duration silentFor = Duration.ofNanos(System.nanoTime() - helloAt);
        assertThat(silentFor).as("3 missed 1 s heartbeats plus at most one 1 s sweep, with slack for a slow machine")
                .isBetween(Duration.ofMillis(2500), Duration.ofMillis(5500));
        assertThat(events(agent.hostId)).contains("missed-heartbeats:READY->UNREACHABLE");

        stream.send(TestAgent.heartbeat());

        awaitState(agent.hostId, HostState.READY, Duration.ofSeconds(2));
        assertThat(events(agent.hostId)).endsWith("missed-heartbeats:READY->UNREACHABLE", "heartbeat:UNREACHABLE->READY");
    }

    @Test
    void aHeartbeatingHostStaysReady() {
        String hostname = uniqueHostname("steady");
        TestAgent agent = joined(hostname);
        AgentStream stream = connected(agent, hostname);

        stream.startHeartbeats(Duration.ofMillis(500));
        sleep(Duration.ofSeconds(5));

        assertThat(state(agent.hostId)).isEqualTo(HostState.READY);
        assertThat(events(agent.hostId)).containsExactly("joined:null->REGISTERED", "connected:REGISTERED->READY");
    }

    @Test
    void aDroppedStreamMakesTheHostUnreachableAtOnceAndAReconnectReadyAgain() {
        String hostname = uniqueHostname("dropped");
        TestAgent agent = joined(hostname);
        AgentStream stream = connected(agent, hostname);

        stream.cancel();

        awaitState(agent.hostId, HostState.UNREACHABLE, Duration.ofSeconds(2));
        assertThat(events(agent.hostId)).endsWith("disconnected:READY->UNREACHABLE");
        assertThat(sessionRow(agent.hostId)).isEmpty();

        connected(agent, hostname);

        assertThat(state(agent.hostId)).isEqualTo(HostState.READY);
        assertThat(events(agent.hostId)).endsWith("disconnected:READY->UNREACHABLE", "connected:UNREACHABLE->READY");
    }

    @Test
    void anAgentThatClosesItsStreamIsUnreachableAndTheServerClosesToo() {
        String hostname = uniqueHostname("goodbye");
        TestAgent agent = joined(hostname);
        AgentStream stream = connected(agent, hostname);

        stream.halfClose();

        assertThat(stream.awaitClose().isOk()).isTrue();
        awaitState(agent.hostId, HostState.UNREACHABLE, Duration.ofSeconds(2));
        assertThat(sessionRow(agent.hostId)).isEmpty();
    }

    @Test
    void theNewestStreamOwnsTheSessionAndTheOlderOneCannotDisconnectIt() {
        String hostname = uniqueHostname("takeover");
        TestAgent agent = joined(hostname);
        AgentStream older = connected(agent, hostname);
        Object olderConnection = sessionRow(agent.hostId).get("connection_id");

        AgentStream newer = connected(agent, hostname);
        Object newerConnection = sessionRow(agent.hostId).get("connection_id");
        older.send(TestAgent.heartbeat());

        assertThat(newerConnection).isNotEqualTo(olderConnection);
        assertThat(older.awaitClose().getCode()).isEqualTo(Status.Code.ABORTED);
        sleep(Duration.ofMillis(300));
        assertThat(state(agent.hostId)).isEqualTo(HostState.READY);
        assertThat(sessionRow(agent.hostId)).containsEntry("connection_id", newerConnection);
        assertThat(newer.isClosed()).isFalse();
    }

    @Test
    void aReplicaWhoseSessionAnotherReplicaTookLeavesTheHostAlone() {
        String hostname = uniqueHostname("other-replica");
        TestAgent agent = joined(hostname);
        AgentStream stream = connected(agent, hostname);
        // What another replica's Hello for this host writes.
        jdbc.sql("update agent_session set replica_id = 'other-replica', connection_id = 'ac-elsewhere' where host_id = :id")
                .param("id", agent.hostId).update();

        stream.send(TestAgent.heartbeat());
        assertThat(stream.awaitClose().getCode()).isEqualTo(Status.Code.ABORTED);
        sleep(Duration.ofMillis(300));

        assertThat(state(agent.hostId)).isEqualTo(HostState.READY);
        assertThat(hostRow(agent.hostId).get("has_utilisation")).as("the stale stream's heartbeat is not recorded").isEqualTo(false);
        assertThat(sessionRow(agent.hostId)).containsEntry("replica_id", "other-replica").containsEntry("connection_id", "ac-elsewhere");
    }

    @Test
    void aSecondHelloIsAProtocolError() {
        String hostname = uniqueHostname("second-hello");
        TestAgent agent = joined(hostname);
        AgentStream stream = connected(agent, hostname);

        stream.send(TestAgent.hello(TestAgent.facts(hostname), clock.instant()));

        assertThat(stream.awaitClose().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        awaitState(agent.hostId, HostState.UNREACHABLE, Duration.ofSeconds(2));
    }

    @Test
    void aMessageFromANewerProtocolIsIgnored() {
        String hostname = uniqueHostname("newer");
        TestAgent agent = joined(hostname);
        AgentStream stream = connected(agent, hostname);

        stream.send(AgentMessage.getDefaultInstance());
        stream.send(TestAgent.heartbeat());

        awaitTrue(() -> (Boolean) hostRow(agent.hostId).get("has_utilisation"), "the heartbeat after it is handled");
        assertThat(stream.isClosed()).isFalse();
    }

    private static Instant instant(Object timestamp) {
        return timestamp instanceof OffsetDateTime odt ? odt.toInstant() : ((java.sql.Timestamp) timestamp).toInstant();
    }

    private static void awaitTrue(java.util.function.BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as(what + " within 3 s").isLessThan(deadline);
            sleep(Duration.ofMillis(50));
        }
    }
}
