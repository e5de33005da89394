package io.freehold.controlplane.agentlink;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;

import io.freehold.agent.v1.Command;
import io.freehold.agent.v1.PowerState;
import io.freehold.agent.v1.ProtocolVersion;
import io.freehold.controlplane.testing.Fixtures;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * An instance's life as the control plane drives it, against a host whose agent speaks over a real
 * mutual-TLS stream: each spec generation becomes one PutGuest for the host, the host's answers become
 * the status (PROVISIONING, RUNNING, STOPPED, FAILED with the host's reason), and a delete becomes a
 * DeleteGuest whose confirmation removes the instance.
 */
class InstanceProvisioningTest extends InstanceHostTest {

    @Test
    void eachGenerationBecomesOneCommandAndTheHostsAnswersBecomeTheStatus() {
        String hostname = uniqueHostname("provision");
        TestAgent agent = joined(hostname);
        AgentStream stream = agent.connect();
        // 256 threads and 2 TiB: the only host in the tests that can hold the flavor below.
        stream.send(TestAgent.hello(TestAgent.facts(hostname).toBuilder().setProtocolVersion(ProtocolVersion.PROTOCOL_VERSION_4)
                .setCpuCores(128).setCpuThreads(256).setMemoryBytes(2048L << 30).setStorageBytes(20_000L << 30).build(), clock.instant()));
        assertThat(stream.next().hasWelcome()).isTrue();
        stream.startHeartbeats(Duration.ofMillis(500));
        String tenant = fixtures.tenant();
        api.put("/api/v1/ops/tenants/" + tenant + "/quota", fixtures.adminToken(),
                Map.of("vcpus", 100_000, "memoryMib", 100_000_000, "diskGib", 1_000_000, "instances", 1000)).expect(200);
        String member = fixtures.principal(tenant, "tenant-member").token();
        String flavor = api.post("/api/v1/ops/flavors", fixtures.adminToken(), Map.of("name", Fixtures.unique("huge"), "vcpus", 600,
                "memoryMib", 1_536_000, "rootDiskGib", 100)).expect(201).text("id");
        String id = api.post("/api/v1/instances", member, Map.of("name", "db-1", "flavorId", flavor, "imageRef", fixtures.bootImage())).expect(202)
                .text("id");
        String path = "/api/v1/instances/" + id;

        reconcile();
        assertThat(status(member, path).path("phase").asString()).isEqualTo("PROVISIONING");
        assertThat(status(member, path).path("hostId").asString()).isEqualTo(agent.hostId);
        Command put = command(stream, id);
        assertThat(put.getPutGuest().getInstanceId()).isEqualTo(id);
        assertThat(put.getPutGuest().getGeneration()).isEqualTo(1);
        assertThat(put.getPutGuest().getVcpus()).isEqualTo(600);
        assertThat(put.getPutGuest().getPowerState()).isEqualTo(PowerState.POWER_STATE_RUNNING);

        answer(stream, put, true, "", "");
        reconcile();
        JsonNode running = status(member, path);
        assertThat(running.path("phase").asString()).isEqualTo("RUNNING");
        assertThat(running.path("observedGeneration").asLong()).isEqualTo(1);
        assertThat(condition(running, "Ready").path("status").asString()).isEqualTo("True");

        api.post(path + "/stop", member, null).expect(202);
        reconcile();
        assertThat(status(member, path).path("phase").asString()).as("still running until the host says otherwise").isEqualTo("RUNNING");
        Command stop = command(stream, id);
        assertThat(stop.getPutGuest().getGeneration()).isEqualTo(2);
        assertThat(stop.getPutGuest().getPowerState()).isEqualTo(PowerState.POWER_STATE_STOPPED);
        answer(stream, stop, true, "", "");
        reconcile();
        assertThat(status(member, path).path("phase").asString()).isEqualTo("STOPPED");
        assertThat(status(member, path).path("observedGeneration").asLong()).isEqualTo(2);

        api.post(path + "/start", member, null).expect(202);
        reconcile();
        Command start = command(stream, id);
        answer(stream, start, false, "INVALID_DEFINITION", "unsupported configuration: CPU model Nehalem");
        reconcile();
        JsonNode failed = status(member, path);
        assertThat(failed.path("phase").asString()).isEqualTo("FAILED");
        assertThat(condition(failed, "Ready").path("reason").asString()).isEqualTo("InvalidDefinition");
        assertThat(condition(failed, "Ready").path("message").asString()).contains("CPU model Nehalem");

        api.delete(path, member).expect(202);
        reconcile();
        Command delete = command(stream, id);
        assertThat(delete.getDeleteGuest().getInstanceId()).isEqualTo(id);
        assertThat(status(member, path).path("phase").asString()).isEqualTo("DELETING");
        answer(stream, delete, true, "", "");
        reconcile();
        api.get(path, member).expectProblem(404, "not-found");
    }
}
