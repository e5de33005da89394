package io.freehold.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * The control plane killed with SIGKILL at each of its named fault points (docs/compute.md, "Fault points") while it
 * provisions an instance, and started again on the same database. The agent lives on throughout, on libvirt's test
 * driver, whose domains live as long as the agent's process: only the control plane dies here.
 */
@Timeout(value = 8, unit = TimeUnit.MINUTES)
class ControlPlaneFaultIT {

    /** After a start: the agent reconnects (backoff at most 1 s), a pass runs (every 1 s), delivery polls (every 200 ms). */
    private static final Duration FAULT_LIMIT = Duration.ofSeconds(60);
    /** An agent JVM's start and its Hello, or a restarted replica's reconnection, delivery and answer, on a loaded machine. */
    private static final Duration AGENT_LIMIT = Duration.ofSeconds(90);

    @RegisterExtension
    final TestResources resources = new TestResources();

    /**
     * One instance through three deaths of the control plane, each start of the same installation armed with the next
     * point: killed after placing it (the pass's transaction still open, so the placement dies with it), after writing
     * its PutGuest (committed, never sent) and after the agent answered (the guest made, the answer not recorded). The
     * fourth start, armed with nothing, converges it: RUNNING at generation 1, one guest more on the host, one
     * allocation and the quota counting it once, one PutGuest in the log — carried out once, then again changing nothing —
     * and its provisioned and started facts recorded once each.
     */
    @Test
    void anInstanceConvergesAfterTheControlPlaneDiesAfterPlacementAfterTheCommandWriteAndBeforeTheAck() throws Exception {
        // Heartbeats every second, so the guest count the host reports is fresh soon after convergence.
        OneHostCloud cloud = OneHostCloud.create(resources, Map.of("freehold.inventory.heartbeat-interval", "1s"),
                Map.of("FREEHOLD_FAULT_POINT", "after-placement"), Map.of());
        PostgresDatabase database = cloud.database();
        OpsApi ops = cloud.ops();
        ChildProcess agentRun = cloud.agent().run();
        // The test driver starts with one domain of its own ("test"); the instance's guest comes on top.
        int guestsBefore = Poll.until("the host reports its guests", System.nanoTime(), AGENT_LIMIT,
                () -> ops.host(cloud.hostId()).path("utilisation"), utilisation -> utilisation.has("guestCount")).value()
                .path("guestCount").asInt();
        String id = cloud.createInstance("web-1", ops.createFlavor("small", 1, 256, 1));

        ChildProcess first = cloud.firstReplica().process();
        first.awaitOutput("freehold fault point reached: after-placement", FAULT_LIMIT);
        first.kill();
        assertThat(database.value("select phase || ' ' || coalesce(host_id, 'nowhere') from instance where id = ?", id))
                .as("the instance after a death with its placement uncommitted").isEqualTo("PENDING nowhere");
        assertThat(database.count("allocation")).as("allocations after that death").isZero();
        assertThat(InstanceChecks.commands(database, id)).as("commands after that death").isEmpty();

        ChildProcess second = cloud.installation().start(Map.of("FREEHOLD_FAULT_POINT", "after-command-write")).process();
        second.awaitOutput("freehold fault point reached: after-command-write", FAULT_LIMIT);
        second.kill();
        assertThat(database.value("select phase || ' on ' || host_id from instance where id = ?", id))
                .as("the instance after a death with its command written").isEqualTo("PROVISIONING on " + cloud.hostId());
        assertThat(InstanceChecks.commands(database, id)).as("commands after that death").isEqualTo("PutGuest:1:pending");
        assertThat(database.value("select deliveries from agent_command where target = ?", "instance:" + id))
                .as("deliveries of the PutGuest before that death").isEqualTo(0);
        assertThat(InstanceChecks.putChanges(id, agentRun)).as("PutGuests the agent carried out so far").isEmpty();

        ChildProcess third = cloud.installation().start(Map.of("FREEHOLD_FAULT_POINT", "before-ack")).process();
        third.awaitOutput("freehold fault point reached: before-ack", FAULT_LIMIT);
        third.kill();
        assertThat(InstanceChecks.commands(database, id)).as("commands after a death with the answer unrecorded")
                .isEqualTo("PutGuest:1:pending");
        // Every PutGuest carries a cloud-init seed (the instance's id and host name), written beside the disk.
        assertThat(InstanceChecks.putChanges(id, agentRun)).as("PutGuests the agent carried out so far")
                .containsExactly("[CREATED_DISK, WROTE_SEED, DEFINED, STARTED]");

        cloud.installation().start(Map.of());
        JsonNode instance = InstanceChecks.awaitReady(ops, id, "RUNNING", AGENT_LIMIT);
        Instant converged = Instant.now();
        assertThat(instance.path("spec").path("generation").asLong()).as("generation").isEqualTo(1);
        assertThat(InstanceChecks.commands(database, id)).as("commands once converged").isEqualTo("PutGuest:1:succeeded");
        assertThat(InstanceChecks.putChanges(id, agentRun)).as("PutGuests the agent carried out: all of it once, then nothing")
                .containsExactly("[CREATED_DISK, WROTE_SEED, DEFINED, STARTED]", "[]");
        InstanceChecks.assertHeldOnce(database, ops, instance);
        InstanceChecks.assertStartedOnce(ops, id);
        JsonNode reported = Poll.until("a heartbeat after convergence", System.nanoTime(), AGENT_LIMIT, () -> ops.host(cloud.hostId()),
                seen -> Instant.parse(seen.path("lastHeartbeatAt").asString()).isAfter(converged)).value();
        assertThat(reported.path("utilisation").path("guestCount").asInt()).as("guests on the host").isEqualTo(guestsBefore + 1);
        assertThat(agentRun.isAlive()).as("the agent, never restarted").isTrue();
    }
}
