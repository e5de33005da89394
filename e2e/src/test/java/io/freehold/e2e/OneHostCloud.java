package io.freehold.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What every fault test sets up before it breaks something: a control-plane installation with its first replica
 * running, one host whose agent has joined (configured, not yet running: the test runs it, armed or not), one tenant to
 * create instances in and one public image for them to boot. The image is an empty qcow2 disk, so a guest boots to
 * nothing: these tests need no more than a QEMU that runs (or, asked for too much memory, refuses to), while the agent
 * still fetches the image from the control plane and makes the root disk an overlay on it, as for any instance. The
 * REST ports stay the same across restarts, so {@link #ops()} reaches whichever replica runs.
 */
final class OneHostCloud {

    private final ControlPlaneInstallation installation;
    private final ControlPlane firstReplica;
    private final OpsApi ops;
    private final String hostId;
    private final Agent agent;
    private final String tenantId;
    private final String imageId;

    private OneHostCloud(ControlPlaneInstallation installation, ControlPlane firstReplica, OpsApi ops, String hostId, Agent agent,
                         String tenantId, String imageId) {
        this.installation = installation;
        this.firstReplica = firstReplica;
        this.ops = ops;
        this.hostId = hostId;
        this.agent = agent;
        this.tenantId = tenantId;
        this.imageId = imageId;
    }

    /**
     * @param controlPlaneProperties Spring properties for every replica
     * @param firstReplicaEnvironment variables for the first replica only, e.g. an armed fault point
     * @param agentSettings agent configuration beyond the control plane's address, e.g. {@code libvirt_uri}
     */
    static OneHostCloud create(TestResources resources, Map<String, String> controlPlaneProperties,
                               Map<String, String> firstReplicaEnvironment, Map<String, String> agentSettings) throws Exception {
        Preconditions.requireCommands("qemu-img");
        ControlPlaneInstallation installation = ControlPlaneInstallation.create(resources, controlPlaneProperties);
        ControlPlane first = installation.start(firstReplicaEnvironment);
        OpsApi ops = new OpsApi(first.restBase(), first.adminToken());
        String host = ops.createHostSlot(ops.createRack(ops.createSite("e2e"), "r1"), 1, "hv-e2e");
        Map<String, String> settings = new HashMap<>(agentSettings);
        // A restarted control plane is found within a second of answering, not after a backoff grown during its absence.
        settings.putIfAbsent("reconnect_max_backoff", "1s");
        Agent agent = Agent.configure(resources, command -> command, List.of(installation.agentAddress()), settings);
        assertThat(agent.join(ops.createJoinToken(host).path("joinCommand").asString())).as("the host id the agent printed").isEqualTo(host);
        String image = ops.createPublicQcow2Image("empty", emptyQcow2(resources));
        return new OneHostCloud(installation, first, ops, host, agent, ops.createTenant("e2e"), image);
    }

    ControlPlaneInstallation installation() {
        return installation;
    }

    ControlPlane firstReplica() {
        return firstReplica;
    }

    PostgresDatabase database() {
        return installation.database();
    }

    OpsApi ops() {
        return ops;
    }

    String hostId() {
        return hostId;
    }

    Agent agent() {
        return agent;
    }

    String tenantId() {
        return tenantId;
    }

    /** @return the new instance's id, booting the empty image */
    String createInstance(String name, String flavorId) {
        return ops.createInstance(tenantId, name, flavorId, imageId).path("id").asString();
    }

    /**
     * A qcow2 disk with nothing written in it, made by qemu-img as an operator makes one: version 3, no backing file,
     * so the control plane takes it. 64 MiB of virtual size, below every flavor's root disk (at least 1 GiB), so the
     * overlay the agent lays on it takes the flavor's size; the file itself is a few hundred KiB.
     */
    private static Path emptyQcow2(TestResources resources) throws IOException {
        Path disk = resources.directory("image").resolve("empty.qcow2");
        Command.run("qemu-img", "create", "-q", "-f", "qcow2", disk.toString(), "64M");
        return disk;
    }
}
