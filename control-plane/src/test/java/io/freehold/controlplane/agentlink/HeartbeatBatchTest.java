package io.freehold.controlplane.agentlink;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import io.freehold.controlplane.inventory.HostState;
import io.freehold.controlplane.inventory.HostUtilisation;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Heartbeats recorded together, as {@link HeartbeatWriter} batches them, each get exactly the outcome they would
 * get alone: a stream that holds its host's session records the heartbeat and extends the lease; an older stream of
 * a host that reconnected changes nothing; a revoked host's session ends; an UNREACHABLE host whose heartbeats
 * resume is READY again, with its event.
 */
class HeartbeatBatchTest extends AgentLinkApiTest {

    private static final HostUtilisation UTILISATION = new HostUtilisation(0.5, 8L << 30, 100L << 30, 3);

    @Autowired
    AgentSessions sessions;

    @Test
    void aBatchGivesEachHeartbeatTheOutcomeItWouldHaveAlone() {
        TestAgent current = connectedAgent("batch-current");
        Object currentLease = sessionRow(current.hostId).get("lease_expires_at");
        TestAgent reconnected = connectedAgent("batch-reconnected");
        String olderConnection = connection(reconnected);
        connected(reconnected, "batch-reconnected");
        Map<String, Object> newerSession = sessionRow(reconnected.hostId);
        TestAgent revoked = connectedAgent("batch-revoked");
        jdbc.sql("update host set state = 'REVOKED' where id = :id").param("id", revoked.hostId).update();
        TestAgent resumed = connectedAgent("batch-resumed");
        jdbc.sql("update host set state = 'UNREACHABLE' where id = :id").param("id", resumed.hostId).update();

        ReceivedHeartbeat fromCurrent = beat(current, connection(current));
        ReceivedHeartbeat fromOlderStream = new ReceivedHeartbeat(reconnected.hostId, olderConnection, UTILISATION);
        ReceivedHeartbeat fromRevoked = beat(revoked, connection(revoked));
        ReceivedHeartbeat fromResumed = beat(resumed, connection(resumed));
        Map<ReceivedHeartbeat, AgentSessions.Beat> outcomes = sessions.heartbeats(
                List.of(fromCurrent, fromOlderStream, fromRevoked, fromResumed));

        assertThat(outcomes).containsExactlyInAnyOrderEntriesOf(Map.of(
                fromCurrent, AgentSessions.Beat.RECORDED,
                fromOlderStream, AgentSessions.Beat.TAKEN_OVER,
                fromRevoked, AgentSessions.Beat.REFUSED,
                fromResumed, AgentSessions.Beat.RECORDED));
        assertThat((Boolean) hostRow(current.hostId).get("has_utilisation")).isTrue();
        assertThat(sessionRow(current.hostId).get("lease_expires_at")).isNotEqualTo(currentLease);
        assertThat(sessionRow(reconnected.hostId)).as("the newer stream's session, untouched").isEqualTo(newerSession);
        assertThat((Boolean) hostRow(reconnected.hostId).get("has_utilisation")).isFalse();
        assertThat(sessionRow(revoked.hostId)).as("the revoked host's session").isEmpty();
        assertThat(state(revoked.hostId)).isEqualTo(HostState.REVOKED);
        assertThat(state(resumed.hostId)).isEqualTo(HostState.READY);
        assertThat(events(resumed.hostId)).endsWith("heartbeat:UNREACHABLE->READY");
    }

    private TestAgent connectedAgent(String purpose) {
        String hostname = uniqueHostname(purpose);
        TestAgent agent = joined(hostname);
        connected(agent, hostname);
        return agent;
    }

    private String connection(TestAgent agent) {
        return (String) sessionRow(agent.hostId).get("connection_id");
    }

    private static ReceivedHeartbeat beat(TestAgent agent, String connectionId) {
        return new ReceivedHeartbeat(agent.hostId, connectionId, UTILISATION);
    }
}
