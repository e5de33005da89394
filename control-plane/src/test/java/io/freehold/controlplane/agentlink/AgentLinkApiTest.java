package io.freehold.controlplane.agentlink;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.freehold.agent.v1.ControlMessage;
import io.freehold.controlplane.inventory.HostRegistry;
import io.freehold.controlplane.inventory.HostState;
import io.freehold.controlplane.inventory.IssuedJoinToken;
import io.freehold.controlplane.testing.ApiTest;
import org.junit.jupiter.api.AfterEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Base of tests that drive the real agent endpoint over gRPC with TLS on loopback, as agents would,
 * and read what it did through {@link HostRegistry} and the database. Heartbeats are 1 s and a host
 * may miss 3 ({@link ApiTest}'s settings).
 */
abstract class AgentLinkApiTest extends ApiTest {

    @Autowired
    AgentLinkServer server;
    @Autowired
    HostRegistry hosts;
    @Autowired
    CertificateAuthority authority;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    Clock clock;
    @Autowired
    ReplicaId replica;

    private final List<TestAgent> agents = new ArrayList<>();

    @AfterEach
    void stopAgents() {
        agents.forEach(TestAgent::close);
    }

    TestAgent agent() {
        TestAgent agent = new TestAgent(server.port());
        agents.add(agent);
        return agent;
    }

    String newToken() {
        return issueToken().token();
    }

    IssuedJoinToken issueToken() {
        return hosts.issueJoinToken(null, null, "agentlink-test", clock.instant());
    }

    static String uniqueHostname(String purpose) {
        return purpose + "-" + UUID.randomUUID().toString().substring(0, 8) + ".test";
    }

    /** An agent that joined as {@code hostname} and has not connected yet. */
    TestAgent joined(String hostname) {
        TestAgent agent = agent();
        agent.join(newToken(), authority.fingerprint(), hostname);
        return agent;
    }

    /** A joined agent's stream after Hello and Welcome: its host is READY. */
    AgentStream connected(TestAgent agent, String hostname) {
        AgentStream stream = agent.connect();
        stream.send(TestAgent.hello(TestAgent.facts(hostname), clock.instant()));
        ControlMessage welcome = stream.next();
        assertThat(welcome.hasWelcome()).as("Welcome after Hello").isTrue();
        return stream;
    }

    HostState state(String hostId) {
        return hosts.state(hostId).orElseThrow();
    }

    /** Waits for a host to reach a state, polling; fails the test after {@code limit}. */
    void awaitState(String hostId, HostState expected, Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (state(hostId) != expected) {
            assertThat(System.nanoTime()).as("host %s to become %s within %s", hostId, expected, limit).isLessThan(deadline);
            sleep(Duration.ofMillis(50));
        }
    }

    long hostsNamed(String hostname) {
        return jdbc.sql("select count(*) from host where hostname = :name or facts ->> 'hostname' = :name")
                .param("name", hostname).query(Long.class).single();
    }

    long hostCount() {
        return jdbc.sql("select count(*) from host").query(Long.class).single();
    }

    /** The host's events in the order they happened, as {@code kind:from->to}. */
    List<String> events(String hostId) {
        return jdbc.sql("select kind, from_state, to_state from host_event where host_id = :id order by occurred_at, id")
                .param("id", hostId)
                .query((rs, n) -> rs.getString("kind") + ":" + rs.getString("from_state") + "->" + rs.getString("to_state"))
                .list();
    }

    Map<String, Object> hostRow(String hostId) {
        return jdbc.sql("""
                        select state, hostname, facts ->> 'hostname' as facts_hostname, facts ->> 'incarnationId' as incarnation,
                               utilisation is not null as has_utilisation, last_heartbeat_at, version
                        from host where id = :id
                        """)
                .param("id", hostId).query().singleRow();
    }

    Map<String, Object> sessionRow(String hostId) {
        return jdbc.sql("select * from agent_session where host_id = :id").param("id", hostId).query().listOfRows()
                .stream().findFirst().orElse(Map.of());
    }

    static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
