package io.freehold.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * A guest definition the host cannot carry out, reached through the public API only: ops overcommit a host's memory a
 * hundredfold (the most the API allows), a flavor asks for more memory than the machine has, and the real QEMU refuses to
 * start it. The instance must say so rather than wait for ever.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class InvalidDefinitionIT {

    /** An agent JVM's start, its Hello, a delivery and QEMU refusing the guest. */
    private static final Duration AGENT_LIMIT = Duration.ofSeconds(90);
    /** The largest flavor memory the API takes (16 TiB). */
    private static final long MAX_FLAVOR_MEMORY_MIB = 16_777_216;

    @RegisterExtension
    final TestResources resources = new TestResources();

    /**
     * FAILED, observedGeneration caught up, and a Ready=False condition whose reason is the agent's code and whose message
     * carries QEMU's own words, as the agent reported them; the domain stays defined and off.
     */
    @Test
    void aGuestTheHostCannotStartIsFailedWithQemusReason() throws Exception {
        Preconditions.requireSystemLibvirt();
        OneHostCloud cloud = OneHostCloud.create(resources, Map.of(), Map.of(), Map.of(
                "libvirt_uri", SystemLibvirt.URI,
                "state_dir", SystemLibvirt.guestFilesDirectory(resources).resolve("state").toString()));
        cloud.agent().run();
        OpsApi ops = cloud.ops();
        Poll.until("the host is READY", System.nanoTime(), AGENT_LIMIT, () -> ops.host(cloud.hostId()).path("state").asString(), "READY"::equals);
        ops.updateHost(cloud.hostId(), Map.of("memoryRatio", 100));
        JsonNode capacity = ops.hostCapacity(cloud.hostId());
        long physical = capacity.path("physical").path("memoryMib").asLong();
        long memory = Math.min(capacity.path("free").path("memoryMib").asLong(), MAX_FLAVOR_MEMORY_MIB);
        // Linux refuses QEMU a single mapping this far beyond RAM (and swap) under its default overcommit heuristic.
        assertThat(memory).as("the flavor's memory against the host's %d MiB", physical).isGreaterThan(10 * physical);
        ops.setTenantQuota(cloud.tenantId(), 1000, MAX_FLAVOR_MEMORY_MIB, 100_000, 100);

        String id = cloud.createInstance("too-big", ops.createFlavor("too-big", 1, memory, 1));
        SystemLibvirt.removeAtEnd(resources, id);
        JsonNode instance = InstanceChecks.awaitReady(ops, id, "FAILED", AGENT_LIMIT);

        JsonNode ready = instance.path("status").path("conditions").valueStream()
                .filter(condition -> condition.path("type").asString().equals("Ready")).findFirst().orElseThrow();
        assertThat(ready.path("status").asString()).as("Ready: %s", ready).isEqualTo("False");
        assertThat(ready.path("reason").asString()).as("Ready's reason: %s", ready).isEqualTo("OperationFailed");
        assertThat(ready.path("message").asString()).as("Ready's message").contains("start " + id, "qemu-system-x86_64:");
        assertThat(SystemLibvirt.state(id)).as("the domain QEMU would not run").isEqualTo("shut off");
    }
}
