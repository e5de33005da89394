package io.freehold.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * The agent killed with SIGKILL at its named fault point (docs/agent.md, "Fault points") and run again, on the host's
 * real libvirt daemon ({@code qemu:///system}) and QEMU: their guests outlive the agent, as they do in production,
 * which libvirt's in-process test driver cannot show.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class AgentFaultIT {

    /** An agent JVM's start, its Hello, a delivery and a guest defined and started (well under a second on QEMU). */
    private static final Duration AGENT_LIMIT = Duration.ofSeconds(90);

    @RegisterExtension
    final TestResources resources = new TestResources();

    /**
     * The agent made the guest (disk, definition, a running QEMU) and died before its answer left. Its next run is sent
     * the same PutGuest again and answers it without touching the guest: one domain on the host for the instance, the
     * very same QEMU run still running it, the instance RUNNING at generation 1 with one allocation, and its provisioned
     * and started facts, which the dead agent had written to its ledger, recorded once each.
     */
    @Test
    void anAgentKilledAfterMakingAGuestButBeforeAnsweringLeavesOneGuestAndTheInstanceConverges() throws Exception {
        Preconditions.requireSystemLibvirt();
        OneHostCloud cloud = OneHostCloud.create(resources, Map.of(), Map.of(), Map.of(
                "libvirt_uri", SystemLibvirt.URI,
                "state_dir", SystemLibvirt.guestFilesDirectory(resources).resolve("state").toString()));
        ChildProcess firstRun = cloud.agent().run(Map.of("FREEHOLD_AGENT_FAULT_POINT", "after-apply-before-result"));
        String flavor = cloud.ops().createFlavor("small", 1, 128, 1);

        String id = cloud.createInstance("web-1", flavor);
        SystemLibvirt.removeAtEnd(resources, id);
        firstRun.awaitOutput("freehold fault point reached: after-apply-before-result", AGENT_LIMIT);
        String qemuRun = SystemLibvirt.runningId(id);
        firstRun.kill();
        assertThat(SystemLibvirt.state(id)).as("the guest after its agent's death").isEqualTo("running");
        assertThat(cloud.ops().instance(id).path("status").path("phase").asString()).as("the instance, its answer lost")
                .isEqualTo("PROVISIONING");
        assertThat(InstanceChecks.commands(cloud.database(), id)).as("commands").isEqualTo("PutGuest:1:pending");

        ChildProcess secondRun = cloud.agent().run();
        JsonNode instance = InstanceChecks.awaitReady(cloud.ops(), id, "RUNNING", AGENT_LIMIT);

        // Other tests on this machine may define domains of their own meanwhile; this installation's are named after its instances.
        Set<String> instances = Set.copyOf(cloud.database().strings("select id from instance"));
        assertThat(SystemLibvirt.domainNames()).filteredOn(instances::contains).as("domains of this installation's instances")
                .containsExactly(id);
        assertThat(SystemLibvirt.runningId(id)).as("the guest's QEMU run: still the one the first agent started").isEqualTo(qemuRun);
        // Every PutGuest carries a cloud-init seed (the instance's id and host name), written beside the disk.
        assertThat(InstanceChecks.putChanges(id, firstRun, secondRun)).as("what each PutGuest changed: all of it once, then nothing")
                .containsExactly("[CREATED_DISK, WROTE_SEED, DEFINED, STARTED]", "[]");
        assertThat(InstanceChecks.commands(cloud.database(), id)).as("commands").isEqualTo("PutGuest:1:succeeded");
        assertThat(instance.path("spec").path("generation").asLong()).as("generation").isEqualTo(1);
        InstanceChecks.assertHeldOnce(cloud.database(), cloud.ops(), instance);
        InstanceChecks.assertStartedOnce(cloud.ops(), id);
    }
}
