package io.freehold.controlplane.agentlink;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import io.freehold.agent.v1.Command;
import io.freehold.agent.v1.ConsoleTail;
import io.freehold.agent.v1.ProtocolVersion;
import io.freehold.controlplane.testing.ApiResponse;
import io.freehold.controlplane.testing.Fixtures;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * {@code GET /instances/{id}/console} against a host whose agent speaks protocol 4 over a real mutual-TLS stream:
 * the REST call writes a ReadConsole for the instance's host and waits; the stream's replica records the agent's
 * ConsoleTail in PostgreSQL, where the waiting call reads it. Reads never touch the instance's own commands or
 * status. Refusals: another tenant's instance looks absent, one without a guest on a host is a conflict, an
 * unreachable host is unavailable, an old agent a conflict, a host that fails or stays silent a 502 or a 504.
 */
class InstanceConsoleTest extends InstanceHostTest {

    /** In MiB: a 10 TiB instance no other test's host can hold, on a 12 TiB host, so it lands on this test's host. */
    private static final long TIB = 1024L * 1024;

    private record Running(TestAgent agent, AgentStream stream, String tenant, String member, String id, String path) {
    }

    @Test
    void theHostsAnswerIsStoredWithItsCommandAndComesBackAsText() {
        Running instance = running("console");
        String viewer = fixtures.principal(instance.tenant(), "tenant-viewer").token();
        Instant asked = clock.instant();

        CompletableFuture<ApiResponse> reading = CompletableFuture.supplyAsync(() -> api.get(instance.path() + "/console?maxBytes=100", viewer));
        Command read = command(instance.stream(), instance.id());
        assertThat(read.getReadConsole().getMaxBytes()).isEqualTo(100);
        // A tail cut inside "é" (its last byte, 0xA9), then a byte no UTF-8 text holds (0xFF).
        byte[] tail = bytes(new byte[] {(byte) 0xA9}, "boot ok\n".getBytes(StandardCharsets.UTF_8), new byte[] {(byte) 0xFF},
                "web-1 login: ".getBytes(StandardCharsets.UTF_8));
        answerConsole(instance.stream(), read, tail, true);

        JsonNode console = reading.join().expect(200).json();
        assertThat(console.path("instanceId").asString()).isEqualTo(instance.id());
        assertThat(console.path("output").asString()).isEqualTo("boot ok\n\uFFFDweb-1 login: ");
        assertThat(console.path("truncated").asBoolean()).isTrue();
        assertThat(Instant.parse(console.path("readAt").asString())).isAfterOrEqualTo(asked.minusSeconds(1));

        // What any other replica would read: the answer lives in PostgreSQL with its command.
        Map<String, Object> row = jdbc.sql("select type, target, state, result from agent_command where id = :id")
                .param("id", read.getCommandId()).query().singleRow();
        assertThat(row).containsEntry("type", "ReadConsole").containsEntry("target", "console:" + instance.id())
                .containsEntry("state", "succeeded");
        assertThat(ConsoleTail.newBuilder().setData(com.google.protobuf.ByteString.copyFrom(tail)).setTruncated(true).build().toByteArray())
                .isEqualTo((byte[]) row.get("result"));

        // The read is no part of the instance's life: its PutGuest still stands, nothing was queued, the status is as it was.
        assertThat(jdbc.sql("select state from agent_command where target = :target order by seq desc limit 1")
                .param("target", "instance:" + instance.id()).query(String.class).single()).isEqualTo("succeeded");
        assertThat(jdbc.sql("select count(*) from work_queue where kind = 'console'").query(Long.class).single()).isZero();
        reconcile();
        assertThat(status(instance.member(), instance.path()).path("phase").asString()).isEqualTo("RUNNING");
        assertThat(instance.stream().nextWithin(Duration.ofMillis(500))).as("no command follows a console read").isNull();
    }

    @Test
    void aHostThatFailsIsA502OneThatStaysSilentA504AnOldAgentA409AndAnUnreachableHostA503() {
        Running instance = running("console-errors");
        String console = instance.path() + "/console";

        CompletableFuture<ApiResponse> failing = CompletableFuture.supplyAsync(() -> api.get(console, instance.member()));
        Command read = command(instance.stream(), instance.id());
        assertThat(read.getReadConsole().getMaxBytes()).as("the default").isEqualTo(16384);
        answer(instance.stream(), read, false, "NOT_FOUND", "no console log for " + instance.id());
        assertThat(failing.join().expectProblem(502, "host-failed").text("detail"))
                .isEqualTo("host " + instance.agent().hostId + " could not read the console of instance 'web-1': NOT_FOUND: no console log for "
                        + instance.id());

        long started = System.nanoTime();
        CompletableFuture<ApiResponse> silent = CompletableFuture.supplyAsync(() -> api.get(console, instance.member()));
        Command unanswered = command(instance.stream(), instance.id());
        assertThat(unanswered.hasReadConsole()).isTrue();
        assertThat(silent.join().expectProblem(504, "host-timeout").text("detail"))
                .isEqualTo("host " + instance.agent().hostId + " did not answer within 5 s; try again");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isBetween(Duration.ofSeconds(5), Duration.ofSeconds(8));

        jdbc.sql("update agent_session set protocol_version = 3 where host_id = :host").param("host", instance.agent().hostId).update();
        assertThat(api.get(console, instance.member()).expectProblem(409, "conflict").text("detail"))
                .isEqualTo("cannot read the console of instance 'web-1': the agent on host " + instance.agent().hostId
                        + " speaks protocol version 3; reading a console needs 4 (upgrade the agent)");

        instance.stream().close();
        awaitState(instance.agent().hostId, io.freehold.controlplane.inventory.HostState.UNREACHABLE, Duration.ofSeconds(5));
        assertThat(api.get(console, instance.member()).expectProblem(503, "host-unavailable").text("detail"))
                .startsWith("cannot read the console of instance 'web-1': host " + instance.agent().hostId + " is UNREACHABLE");
    }

    @Test
    void anotherTenantsInstanceLooksAbsentAnUnplacedOneHasNoConsoleAndMaxBytesIsBounded() {
        String tenant = fixtures.tenant();
        String id = fixtures.unplaceableInstance(tenant);
        String member = fixtures.principal(tenant, "tenant-member").token();
        String stranger = fixtures.principal(fixtures.tenant(), "tenant-admin").token();
        String console = "/api/v1/instances/" + id + "/console";

        api.get(console, stranger).expectProblem(404, "not-found");
        assertThat(api.get(console, member).expectProblem(409, "conflict").text("detail")).endsWith("is not placed on a host yet; its console "
                + "exists once it is");
        for (String bad : new String[] {"0", "65537", "-1", "many"}) {
            JsonNode problem = api.get(console + "?maxBytes=" + bad, member).expectProblem(400, "malformed-request").json();
            assertThat(problem.path("errors").get(0).path("field").asString()).isEqualTo("maxBytes");
            assertThat(problem.path("errors").get(0).path("message").asString()).isEqualTo("must be a whole number from 1 to 65536");
        }
    }

    /** A RUNNING instance of a new tenant on a new protocol-4 host whose stream this test holds. */
    private Running running(String purpose) {
        String hostname = uniqueHostname(purpose);
        TestAgent agent = joined(hostname);
        AgentStream stream = agent.connect();
        stream.send(TestAgent.hello(TestAgent.facts(hostname).toBuilder().setProtocolVersion(ProtocolVersion.PROTOCOL_VERSION_4)
                .setCpuCores(64).setCpuThreads(128).setMemoryBytes(12L << 40).setStorageBytes(20_000L << 30).build(), clock.instant()));
        assertThat(stream.next().getWelcome().getProtocolVersion()).isEqualTo(ProtocolVersion.PROTOCOL_VERSION_4);
        stream.startHeartbeats(Duration.ofMillis(500));
        String tenant = fixtures.tenant();
        api.put("/api/v1/ops/tenants/" + tenant + "/quota", fixtures.adminToken(),
                Map.of("vcpus", 100_000, "memoryMib", 100_000_000, "diskGib", 1_000_000, "instances", 1000)).expect(200);
        String member = fixtures.principal(tenant, "tenant-member").token();
        String flavor = api.post("/api/v1/ops/flavors", fixtures.adminToken(), Map.of("name", Fixtures.unique("console"), "vcpus", 2,
                "memoryMib", 10 * TIB, "rootDiskGib", 20)).expect(201).text("id");
        String id = api.post("/api/v1/instances", member, Map.of("name", "web-1", "flavorId", flavor, "imageRef", fixtures.bootImage())).expect(202)
                .text("id");
        String path = "/api/v1/instances/" + id;
        reconcile();
        assertThat(status(member, path).path("hostId").asString()).isEqualTo(agent.hostId);
        answer(stream, command(stream, id));
        reconcile();
        assertThat(status(member, path).path("phase").asString()).isEqualTo("RUNNING");
        return new Running(agent, stream, tenant, member, id, path);
    }

    private static byte[] bytes(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
