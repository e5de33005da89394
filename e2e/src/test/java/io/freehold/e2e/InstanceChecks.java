package io.freehold.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import java.sql.SQLException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import tools.jackson.databind.JsonNode;

/**
 * What a converged instance must look like from outside: through REST (status, quota) and in the database the
 * replicas share (the allocation ledger, the host's command log), whatever deaths it went through on the way.
 */
final class InstanceChecks {

    private InstanceChecks() {
    }

    /**
     * Waits until the instance is ready in {@code phase}: that phase with {@code observedGeneration} equal to the spec's
     * {@code generation}. A phase of {@code FAILED} on the way (when not the one wanted) fails at once, with its reason.
     *
     * @return the instance as last read
     */
    static JsonNode awaitReady(OpsApi ops, String instanceId, String phase, Duration limit) throws InterruptedException {
        return Poll.until("instance " + instanceId + " is " + phase + " with observedGeneration = generation", System.nanoTime(), limit, () -> {
            JsonNode instance = ops.instance(instanceId);
            String now = instance.path("status").path("phase").asString();
            if (now.equals("FAILED") && !phase.equals("FAILED")) {
                fail("instance " + instanceId + " FAILED: " + instance);
            }
            return instance;
        }, instance -> instance.path("status").path("phase").asString().equals(phase)
                && instance.path("status").path("observedGeneration").asLong() == instance.path("spec").path("generation").asLong()).value();
    }

    /**
     * The instance holds exactly one allocation, on its host, of its sizes, and it is the only one its tenant holds;
     * the tenant's quota counts it once and nothing else.
     */
    static void assertHeldOnce(PostgresDatabase database, OpsApi ops, JsonNode instance) throws SQLException {
        String consumer = "instance:" + instance.path("id").asString();
        String tenant = instance.path("tenantId").asString();
        JsonNode spec = instance.path("spec");
        assertThat(database.value("select string_agg(consumer_ref || ' on ' || host_id || ': ' || vcpus || ' vcpus, ' || memory_mib"
                        + " || ' MiB, ' || disk_gib || ' GiB', '; ') from allocation where tenant_id = ?", tenant))
                .as("the tenant's allocations")
                .isEqualTo(consumer + " on " + instance.path("status").path("hostId").asString() + ": " + spec.path("vcpus").asLong()
                        + " vcpus, " + spec.path("memoryMib").asLong() + " MiB, " + spec.path("rootDiskGib").asLong() + " GiB");
        JsonNode used = ops.tenantQuota(tenant).path("used");
        assertThat(List.of(used.path("vcpus").asLong(), used.path("memoryMib").asLong(), used.path("diskGib").asLong(),
                used.path("instances").asLong()))
                .as("the tenant's quota use (vcpus, memory, disk, instances): %s", used)
                .containsExactly(spec.path("vcpus").asLong(), spec.path("memoryMib").asLong(), spec.path("rootDiskGib").asLong(), 1L);
    }

    /**
     * The instance's lifecycle facts are exactly one {@code provisioned} and one {@code started}: what billing counts
     * was recorded once, however often the agent sent it. Called once the instance is ready: the agent sends its
     * reports before the answer that made the instance ready, and the control plane handles a stream's messages in
     * order, so none is still on its way.
     */
    static void assertStartedOnce(OpsApi ops, String instanceId) {
        assertThat(ops.lifecycleEvents(instanceId)).as("lifecycle facts of instance %s", instanceId).containsExactly("provisioned", "started");
    }

    /** Every command the host's log holds for the instance, oldest first, as {@code type:generation:state}. */
    static String commands(PostgresDatabase database, String instanceId) throws SQLException {
        Object commands = database.value("select string_agg(type || ':' || target_generation || ':' || state, ', ' order by seq)"
                + " from agent_command where target = ?", "instance:" + instanceId);
        return commands == null ? "" : commands.toString();
    }

    /**
     * What the agent's log says each {@code PutGuest} for the instance changed on libvirt, in order, e.g.
     * {@code [CREATED_DISK, WROTE_SEED, DEFINED, STARTED]} and then {@code []} for one carried out again.
     */
    static List<String> putChanges(String instanceId, ChildProcess... agentRuns) {
        String marker = "put guest instance=" + instanceId + " ";
        return Arrays.stream(agentRuns).flatMap(run -> run.output().lines())
                .filter(line -> line.contains(marker))
                .map(line -> line.substring(line.indexOf("changes=") + "changes=".length(), line.indexOf(" superseded=")))
                .toList();
    }
}
