package io.freehold.controlplane.agentlink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;

import io.freehold.agent.v1.AgentMessage;
import io.freehold.agent.v1.Command;
import io.freehold.agent.v1.ControlMessage;
import io.freehold.agent.v1.ForeignDomain;
import io.freehold.agent.v1.GuestCounter;
import io.freehold.agent.v1.GuestPower;
import io.freehold.agent.v1.GuestReport;
import io.freehold.agent.v1.GuestShape;
import io.freehold.agent.v1.Heartbeat;
import io.freehold.agent.v1.Hello;
import io.freehold.agent.v1.HostFacts;
import io.freehold.agent.v1.LifecycleEvent;
import io.freehold.agent.v1.ProtocolVersion;
import io.freehold.agent.v1.ReportAck;
import io.freehold.controlplane.inventory.HostState;
import io.freehold.controlplane.testing.Fixtures;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The guest ledger of protocol version 3 over a real mutual-TLS stream: lifecycle reports recorded once in
 * metering's log at the control plane's time, each acknowledged; observations that contradict the last command
 * shown as they are and corrected; the host's guest list at Hello resyncing its instances and naming orphans;
 * counters from heartbeats; {@code HostReachable} following the host.
 */
class GuestLedgerTest extends InstanceHostTest {

    /** The simulated agent's clock runs this far behind the control plane's. */
    private static final Duration AGENT_BEHIND = Duration.ofSeconds(90);

    @Test
    void reportsAreRecordedOnceAtServerTimeAndObservationsDriveTheInstance() {
        String hostname = uniqueHostname("ledger");
        TestAgent agent = joined(hostname);
        String incarnation = UUID.randomUUID().toString();
        AgentStream stream = agent.connect();
        hello(stream, hostname, incarnation, Hello.newBuilder().setGuestsObserved(true));
        String tenant = fixtures.tenant();
        String member = tenantMember(tenant);
        String id = createInstance(member);
        String path = "/api/v1/instances/" + id;
        reconcile();
        Command put = command(stream, id);
        answer(stream, put);
        reconcile();
        assertThat(status(member, path).path("phase").asString()).isEqualTo("RUNNING");

        // Agent time with half a second, so that the correction's few milliseconds of delay cannot cross a second.
        Instant agentTime = clock.instant().minus(AGENT_BEHIND).truncatedTo(ChronoUnit.SECONDS).plusMillis(500);
        assertThat(report(stream, incarnation, 1, id, tenant, LifecycleEvent.LIFECYCLE_EVENT_PROVISIONED, agentTime, put.getSeq())).isTrue();
        assertThat(report(stream, incarnation, 2, id, tenant, LifecycleEvent.LIFECYCLE_EVENT_STARTED, agentTime, put.getSeq())).isTrue();
        assertThat(report(stream, incarnation, 2, id, tenant, LifecycleEvent.LIFECYCLE_EVENT_STARTED, agentTime, put.getSeq()))
                .as("the same report again is acknowledged again").isTrue();
        assertThat(lifecycleEvents(id)).isEqualTo(2);
        Instant recordedAt = jdbc.sql("select occurred_at from lifecycle_event where instance_id = :id and event = 'started'")
                .param("id", id).query(OffsetDateTime.class).single().toInstant();
        assertThat(recordedAt).as("agent time corrected by the Hello's clock offset, in whole seconds")
                .isEqualTo(agentTime.plus(AGENT_BEHIND).truncatedTo(ChronoUnit.SECONDS));
        reconcile();
        assertThat(condition(status(member, path), "Ready").path("reason").asString()).isEqualTo("Converged");

        report(stream, incarnation, 3, id, tenant, LifecycleEvent.LIFECYCLE_EVENT_STOPPED, agentTime.plusSeconds(30), put.getSeq());
        reconcile();
        JsonNode stopped = status(member, path);
        assertThat(stopped.path("phase").asString()).as("the guest powered off from inside: shown as it is").isEqualTo("STOPPED");
        assertThat(condition(stopped, "Ready").path("reason").asString()).isEqualTo("GuestStopped");
        Command restart = command(stream, id);
        assertThat(restart.getPutGuest().getGeneration()).as("the same spec, asked for again").isEqualTo(1);
        answer(stream, restart);
        reconcile();
        assertThat(status(member, path).path("phase").asString()).isEqualTo("RUNNING");

        String stranger = fixtures.tenant();
        assertThat(report(stream, incarnation, 4, id, stranger, LifecycleEvent.LIFECYCLE_EVENT_DELETED, agentTime, restart.getSeq()))
                .as("a report naming the wrong tenant is acknowledged, so it is not sent for ever").isTrue();
        assertThat(lifecycleEvents(id)).as("but not recorded").isEqualTo(3);

        stream.send(AgentMessage.newBuilder().setHeartbeat(Heartbeat.newBuilder().setSentAt(WireFacts.timestamp(clock.instant()))
                .setFreeMemoryBytes(1L << 30).setFreeStorageBytes(1L << 30).setGuestCount(1)
                .addGuestCounters(GuestCounter.newBuilder().setInstanceId(id).setRunningSeconds(42).setPower(GuestPower.GUEST_POWER_RUNNING)))
                .build());
        awaitCounter(agent.hostId, id, 42);

        stream.close();
        awaitState(agent.hostId, HostState.UNREACHABLE, Duration.ofSeconds(10));
        reconcile();
        JsonNode lost = status(member, path);
        assertThat(condition(lost, "HostReachable").path("status").asString()).isEqualTo("False");
        assertThat(condition(lost, "HostReachable").path("message").asString()).contains(agent.hostId, "UNREACHABLE");
        assertThat(lost.path("phase").asString()).as("the last known phase stays").isEqualTo("RUNNING");

        // The agent restarted: a new incarnation, whose clock is right, lists no domain for the instance (removed
        // with virsh meanwhile) and a domain Freehold did not define; the old incarnation's unacknowledged report
        // comes again on the new session and is corrected by the old incarnation's offset.
        String orphan = "i-" + "0".repeat(26);
        Instant lastLookOfOldIncarnation = clock.instant().minus(AGENT_BEHIND).minusSeconds(2).truncatedTo(ChronoUnit.SECONDS).plusMillis(500);
        AgentStream again = agent.connect();
        hello(again, hostname, UUID.randomUUID().toString(), Duration.ZERO, Hello.newBuilder().setGuestsObserved(true)
                .setLastAppliedSeq(restart.getSeq())
                .addForeignDomains(ForeignDomain.newBuilder().setName(orphan).setPower(GuestPower.GUEST_POWER_SHUT_OFF)
                        .setReason("no Freehold metadata"))
                .addForeignDomains(ForeignDomain.newBuilder().setName("test").setPower(GuestPower.GUEST_POWER_RUNNING)
                        .setReason("no Freehold metadata")));
        assertThat(report(again, incarnation, 5, id, tenant, LifecycleEvent.LIFECYCLE_EVENT_STOPPED, lastLookOfOldIncarnation,
                restart.getSeq()))
                .isTrue();
        assertThat(jdbc.sql("select occurred_at from lifecycle_event where instance_id = :id and report_seq = 5").param("id", id)
                .query(OffsetDateTime.class).single().toInstant())
                .isEqualTo(lastLookOfOldIncarnation.plus(AGENT_BEHIND).truncatedTo(ChronoUnit.SECONDS));
        reconcile();
        JsonNode resynced = status(member, path);
        assertThat(condition(resynced, "HostReachable").path("status").asString()).isEqualTo("True");
        assertThat(condition(resynced, "Ready").path("reason").asString()).isEqualTo("GuestMissing");
        assertThat(resynced.path("phase").asString()).isEqualTo("PROVISIONING");
        Command redefine = command(again, id);
        assertThat(redefine.getPutGuest().getInstanceId()).isEqualTo(id);
        JsonNode orphans = api.get("/api/v1/ops/orphan-domains", fixtures.adminToken()).expect(200).json().path("items");
        assertThat(orphans.valueStream().filter(o -> o.path("name").asString().equals(orphan)
                && o.path("hostId").asString().equals(agent.hostId))).singleElement()
                .satisfies(o -> assertThat(o.path("reason").asString()).contains("no Freehold metadata"));
        assertThat(orphans.valueStream().filter(o -> o.path("hostId").asString().equals(agent.hostId)))
                .as("a domain not named like an instance is none of Freehold's business").hasSize(1);
        api.get("/api/v1/ops/orphan-domains", member).expectProblem(403, "forbidden");

        api.delete(path, member).expect(202);
        assertThat(jdbc.sql("select count(*) from lifecycle_event where instance_id = :id and source = 'control-plane' and event = 'deleted'")
                .param("id", id).query(Long.class).single()).as("billing stops with the delete request").isEqualTo(1);
        assertThatThrownBy(() -> jdbc.sql("update lifecycle_event set event = 'stopped' where instance_id = :id").param("id", id).update())
                .as("the log is append-only").hasMessageContaining("append-only");
    }

    private void hello(AgentStream stream, String hostname, String incarnation, Hello.Builder hello) {
        hello(stream, hostname, incarnation, AGENT_BEHIND, hello);
    }

    /** Says Hello as a version 4 agent (images, as the instances here boot) whose clock is {@code behind} the control plane's, big enough for the flavor. */
    private void hello(AgentStream stream, String hostname, String incarnation, Duration behind, Hello.Builder hello) {
        HostFacts facts = TestAgent.facts(hostname).toBuilder().setProtocolVersion(ProtocolVersion.PROTOCOL_VERSION_4)
                .setIncarnationId(incarnation).setCpuCores(128).setCpuThreads(256).setMemoryBytes(2048L << 30)
                .setStorageBytes(20_000L << 30).build();
        stream.send(AgentMessage.newBuilder().setHello(hello.setFacts(facts).setSentAt(WireFacts.timestamp(clock.instant().minus(behind))))
                .build());
        assertThat(stream.next().hasWelcome()).isTrue();
        stream.startHeartbeats(Duration.ofMillis(500));
    }

    private String tenantMember(String tenant) {
        api.put("/api/v1/ops/tenants/" + tenant + "/quota", fixtures.adminToken(),
                Map.of("vcpus", 100_000, "memoryMib", 100_000_000, "diskGib", 1_000_000, "instances", 1000)).expect(200);
        return fixtures.principal(tenant, "tenant-member").token();
    }

    /** A flavor only the big hosts of these tests can hold, so no other test's host takes the instance. */
    private String createInstance(String member) {
        String flavor = api.post("/api/v1/ops/flavors", fixtures.adminToken(), Map.of("name", Fixtures.unique("ledger"), "vcpus", 600,
                "memoryMib", 1_536_000, "rootDiskGib", 100)).expect(201).text("id");
        return api.post("/api/v1/instances", member, Map.of("name", "ledger-1", "flavorId", flavor, "imageRef", fixtures.bootImage())).expect(202)
                .text("id");
    }

    /** Sends a report and waits for its acknowledgement; commands arriving meanwhile are left for later. */
    private static boolean report(AgentStream stream, String incarnation, long seq, String instanceId, String tenantId, LifecycleEvent event,
                                  Instant agentTime, long appliedSeq) {
        stream.send(AgentMessage.newBuilder().setGuestReport(GuestReport.newBuilder().setIncarnationId(incarnation).setReportSeq(seq)
                .setInstanceId(instanceId).setTenantId(tenantId).setEvent(event).setObservedAt(WireFacts.timestamp(agentTime))
                .setShape(GuestShape.newBuilder().setVcpus(600).setMemoryMib(1_536_000).setRootDiskGib(100)).setGeneration(1)
                .setAppliedSeq(appliedSeq)).build());
        while (true) {
            ControlMessage message = stream.next();
            if (message.hasReportAck()) {
                ReportAck ack = message.getReportAck();
                return ack.getIncarnationId().equals(incarnation) && ack.getReportSeq() == seq;
            }
        }
    }

    private long lifecycleEvents(String instanceId) {
        return jdbc.sql("select count(*) from lifecycle_event where instance_id = :id").param("id", instanceId).query(Long.class).single();
    }

    private void awaitCounter(String hostId, String instanceId, long seconds) {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (jdbc.sql("select count(*) from guest_counter where host_id = :host and instance_id = :id and running_seconds = :seconds")
                .param("host", hostId).param("id", instanceId).param("seconds", seconds).query(Long.class).single() == 0) {
            assertThat(System.nanoTime()).as("the counter recorded").isLessThan(deadline);
            sleep(Duration.ofMillis(20));
        }
    }
}
