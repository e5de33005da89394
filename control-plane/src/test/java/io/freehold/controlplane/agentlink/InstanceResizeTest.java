package io.freehold.controlplane.agentlink;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;

import io.freehold.agent.v1.Command;
import io.freehold.agent.v1.PowerState;
import io.freehold.agent.v1.ProtocolVersion;
import io.freehold.controlplane.testing.ApiResponse;
import io.freehold.controlplane.testing.Fixtures;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Resizing an instance through REST, against a host whose agent answers over a real mutual-TLS stream: a
 * running instance is refused until it is stopped; a smaller root disk, a size its host cannot hold and a
 * size past the quota are refused with the reason and change nothing; a stopped one is resized on its host
 * at once — spec, allocation and quota in one transaction — and its host gets one PutGuest with the new
 * size; the Resized condition follows the host's answers; it runs again only when started.
 */
class InstanceResizeTest extends InstanceHostTest {

    /**
     * In MiB. Each test's host has 8 TiB and its instance 3 or 5 TiB, which no other test's host holds — nor
     * the other test's host with its instance left on it — so each instance lands on its own test's host.
     */
    private static final long TIB = 1024L * 1024;

    @Test
    void aStoppedInstanceIsResizedOnItsHostAndRunsWithTheNewSizeOnlyWhenStarted() {
        String hostname = uniqueHostname("resize");
        TestAgent agent = joined(hostname);
        AgentStream stream = agent.connect();
        stream.send(TestAgent.hello(TestAgent.facts(hostname).toBuilder().setProtocolVersion(ProtocolVersion.PROTOCOL_VERSION_4)
                .setCpuCores(64).setCpuThreads(128).setMemoryBytes(8L << 40).setStorageBytes(20_000L << 30).build(), clock.instant()));
        assertThat(stream.next().hasWelcome()).isTrue();
        stream.startHeartbeats(Duration.ofMillis(500));
        String tenant = fixtures.tenant();
        setQuota(tenant, 100_000_000);
        String member = fixtures.principal(tenant, "tenant-member").token();
        String small = flavor("small", 2, 3 * TIB, 20);
        String large = flavor("large", 4, 3 * TIB + TIB / 2, 40);
        String id = api.post("/api/v1/instances", member, Map.of("name", "db-1", "flavorId", small, "imageRef", fixtures.bootImage())).expect(202)
                .text("id");
        String path = "/api/v1/instances/" + id;
        reconcile();
        assertThat(instance(member, path).path("status").path("hostId").asString()).isEqualTo(agent.hostId);
        answer(stream, command(stream, id), true, "", "");
        reconcile();

        JsonNode running = api.post(path + "/resize", member, Map.of("flavorId", large)).expectProblem(409, "conflict").json();
        assertThat(running.path("detail").asString())
                .isEqualTo("cannot resize instance 'db-1': the instance is running; stop it, wait for phase STOPPED, then resize it");

        api.post(path + "/stop", member, null).expect(202);
        reconcile();
        answer(stream, command(stream, id), true, "", "");
        reconcile();
        assertThat(instance(member, path).path("status").path("phase").asString()).isEqualTo("STOPPED");

        JsonNode shrink = api.post(path + "/resize", member, Map.of("flavorId", flavor("small-disk", 2, 3 * TIB, 10)))
                .expectProblem(422, "validation-failed").json();
        assertThat(shrink.path("errors").get(0).path("field").asString()).isEqualTo("flavorId");
        assertThat(shrink.path("errors").get(0).path("message").asString()).endsWith(": its 10 GiB root disk is smaller than the instance's"
                + " 20 GiB; a root disk can only grow, so choose a flavor with at least 20 GiB");

        JsonNode noRoom = api.post(path + "/resize", member, Map.of("flavorId", flavor("huge", 8, 9 * TIB, 40)))
                .expectProblem(409, "insufficient-capacity").json();
        assertThat(noRoom.path("detail").asString()).matches("cannot resize instance 'db-1' to huge-\\d+: " + agent.hostId
                + " cannot hold the new size: insufficient memory \\(needs 6291456 MiB more but \\d+ MiB are free\\)");
        assertThat(noRoom.path("errors").get(0).path("field").asString()).isEqualTo("memoryMib");

        setQuota(tenant, 3 * TIB + TIB / 4);
        JsonNode overQuota = api.post(path + "/resize", member, Map.of("flavorId", large)).expectProblem(409, "quota-exceeded").json();
        assertThat(overQuota.path("errors").get(0).path("field").asString()).isEqualTo("memoryMib");
        assertThat(overQuota.path("errors").get(0).path("message").asString()).isEqualTo("needs 524288 more but 3145728 of 3407872 are in use");
        JsonNode unchanged = instance(member, path);
        assertThat(unchanged.path("spec").path("flavorId").asString()).as("refusals change nothing").isEqualTo(small);
        assertThat(unchanged.path("spec").path("generation").asLong()).isEqualTo(2);
        assertThat(quotaUsed(member).path("memoryMib").asLong()).isEqualTo(3 * TIB);

        setQuota(tenant, 100_000_000);
        Map<String, String> key = Map.of("Idempotency-Key", Fixtures.unique("resize"));
        ApiResponse accepted = api.post(path + "/resize", member, Map.of("flavorId", large), key).expect(202);
        JsonNode resized = accepted.json();
        assertThat(resized.path("spec").path("flavorId").asString()).as("the spec changes at once").isEqualTo(large);
        assertThat(resized.path("spec").path("vcpus").asInt()).isEqualTo(4);
        assertThat(resized.path("spec").path("memoryMib").asLong()).isEqualTo(3 * TIB + TIB / 2);
        assertThat(resized.path("spec").path("rootDiskGib").asLong()).isEqualTo(40);
        assertThat(resized.path("spec").path("generation").asLong()).isEqualTo(3);
        assertThat(resized.path("spec").path("powerState").asString()).isEqualTo("stopped");
        assertThat(resized.path("status").path("phase").asString()).isEqualTo("STOPPED");
        assertThat(resized.path("status").path("observedGeneration").asLong()).as("not yet applied by the host").isEqualTo(2);
        JsonNode resizing = condition(resized.path("status"), "Resized");
        assertThat(resizing.path("status").asString()).isEqualTo("Unknown");
        assertThat(resizing.path("reason").asString()).isEqualTo("Resizing");
        assertThat(resizing.path("message").asString()).matches("to large-\\d+ \\(4 vCPUs, 3670016 MiB memory, 40 GiB root disk\\)"
                + " from 2 vCPUs, 3145728 MiB memory, 20 GiB root disk");
        JsonNode used = quotaUsed(member);
        assertThat(used.path("vcpus").asInt()).as("the quota counts the new size at once").isEqualTo(4);
        assertThat(used.path("memoryMib").asLong()).isEqualTo(3 * TIB + TIB / 2);
        assertThat(used.path("diskGib").asLong()).isEqualTo(40);
        assertThat(used.path("instances").asInt()).isEqualTo(1);
        assertThat(jdbc.sql("select memory_mib from allocation where consumer_ref = :consumer").param("consumer", "instance:" + id)
                .query(Long.class).single()).as("the allocation changed where it is").isEqualTo(3 * TIB + TIB / 2);

        ApiResponse replayed = api.post(path + "/resize", member, Map.of("flavorId", large), key).expect(202);
        assertThat(replayed.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(replayed.body()).isEqualTo(accepted.body());
        api.post(path + "/resize", member, Map.of("flavorId", small), key).expectProblem(422, "idempotency-key-reused");
        assertThat(api.post(path + "/resize", member, Map.of("flavorId", large)).expect(202).json().path("spec").path("generation").asLong())
                .as("resizing to the flavor it has changes nothing").isEqualTo(3);

        reconcile();
        Command put = command(stream, id);
        assertThat(put.getPutGuest().getGeneration()).isEqualTo(3);
        assertThat(put.getPutGuest().getVcpus()).isEqualTo(4);
        assertThat(put.getPutGuest().getMemoryMib()).isEqualTo(3 * TIB + TIB / 2);
        assertThat(put.getPutGuest().getRootDiskGib()).isEqualTo(40);
        assertThat(put.getPutGuest().getPowerState()).as("a resize never starts the guest").isEqualTo(PowerState.POWER_STATE_STOPPED);
        answer(stream, put, true, "", "");
        reconcile();
        JsonNode applied = instance(member, path).path("status");
        assertThat(applied.path("phase").asString()).isEqualTo("STOPPED");
        assertThat(applied.path("observedGeneration").asLong()).isEqualTo(3);
        assertThat(condition(applied, "Resized").path("status").asString()).isEqualTo("True");
        assertThat(condition(applied, "Resized").path("reason").asString()).isEqualTo("Resized");
        assertThat(condition(applied, "Resized").path("message").asString()).startsWith("to large-");

        api.post(path + "/start", member, null).expect(202);
        reconcile();
        Command start = command(stream, id);
        assertThat(start.getPutGuest().getVcpus()).isEqualTo(4);
        assertThat(start.getPutGuest().getPowerState()).isEqualTo(PowerState.POWER_STATE_RUNNING);
        answer(stream, start, true, "", "");
        reconcile();
        assertThat(instance(member, path).path("status").path("phase").asString()).isEqualTo("RUNNING");
    }

    @Test
    void aResizeTheHostCannotApplyIsFailedWithTheHostsReasonAndCanBeUndone() {
        String hostname = uniqueHostname("resize-fails");
        TestAgent agent = joined(hostname);
        AgentStream stream = agent.connect();
        stream.send(TestAgent.hello(TestAgent.facts(hostname).toBuilder().setProtocolVersion(ProtocolVersion.PROTOCOL_VERSION_4)
                .setCpuCores(64).setCpuThreads(128).setMemoryBytes(8L << 40).setStorageBytes(20_000L << 30).build(), clock.instant()));
        assertThat(stream.next().hasWelcome()).isTrue();
        stream.startHeartbeats(Duration.ofMillis(500));
        String tenant = fixtures.tenant();
        setQuota(tenant, 100_000_000);
        String member = fixtures.principal(tenant, "tenant-member").token();
        String small = flavor("small", 2, 5 * TIB, 20);
        String wide = flavor("wide", 64, 5 * TIB, 20);
        String id = api.post("/api/v1/instances", member, Map.of("name", "db-1", "flavorId", small, "imageRef", fixtures.bootImage())).expect(202)
                .text("id");
        String path = "/api/v1/instances/" + id;
        reconcile();
        assertThat(instance(member, path).path("status").path("hostId").asString()).isEqualTo(agent.hostId);
        answer(stream, command(stream, id), true, "", "");
        api.post(path + "/stop", member, null).expect(202);
        reconcile();
        answer(stream, command(stream, id), true, "", "");
        reconcile();

        api.post(path + "/resize", member, Map.of("flavorId", wide)).expect(202);
        reconcile();
        answer(stream, command(stream, id), false, "INVALID_DEFINITION", "unsupported configuration: 64 vCPUs exceed what this host's KVM allows");
        reconcile();
        JsonNode failed = instance(member, path).path("status");
        assertThat(failed.path("phase").asString()).isEqualTo("FAILED");
        assertThat(condition(failed, "Resized").path("status").asString()).isEqualTo("False");
        assertThat(condition(failed, "Resized").path("reason").asString()).isEqualTo("InvalidDefinition");
        assertThat(condition(failed, "Ready").path("message").asString()).contains("64 vCPUs exceed");

        JsonNode undone = api.post(path + "/resize", member, Map.of("flavorId", small)).expect(202).json();
        assertThat(undone.path("spec").path("vcpus").asInt()).as("a failed resize of a stopped instance can be undone").isEqualTo(2);
        assertThat(quotaUsed(member).path("vcpus").asInt()).isEqualTo(2);
        reconcile();
        Command back = command(stream, id);
        assertThat(back.getPutGuest().getVcpus()).isEqualTo(2);
        answer(stream, back, true, "", "");
        reconcile();
        JsonNode stopped = instance(member, path).path("status");
        assertThat(stopped.path("phase").asString()).isEqualTo("STOPPED");
        assertThat(condition(stopped, "Resized").path("status").asString()).isEqualTo("True");
        assertThat(condition(stopped, "Resized").path("message").asString()).startsWith("to small-");
    }

    private String flavor(String stem, int vcpus, long memoryMib, long rootDiskGib) {
        return api.post("/api/v1/ops/flavors", fixtures.adminToken(), Map.of("name", Fixtures.unique(stem), "vcpus", vcpus,
                "memoryMib", memoryMib, "rootDiskGib", rootDiskGib)).expect(201).text("id");
    }

    private void setQuota(String tenant, long memoryMib) {
        api.put("/api/v1/ops/tenants/" + tenant + "/quota", fixtures.adminToken(),
                Map.of("vcpus", 100_000, "memoryMib", memoryMib, "diskGib", 1_000_000, "instances", 1000)).expect(200);
    }

    private JsonNode quotaUsed(String token) {
        return api.get("/api/v1/quota", token).expect(200).json().path("used");
    }

    private JsonNode instance(String token, String path) {
        return api.get(path, token).expect(200).json();
    }
}
