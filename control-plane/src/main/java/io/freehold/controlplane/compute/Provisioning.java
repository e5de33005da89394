package io.freehold.controlplane.compute;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import io.freehold.agent.v1.CloudInitSeed;
import io.freehold.agent.v1.DeleteGuest;
import io.freehold.agent.v1.GuestImage;
import io.freehold.agent.v1.KernelBoot;
import io.freehold.agent.v1.PutGuest;
import io.freehold.controlplane.agentlink.AgentCommands;
import io.freehold.controlplane.catalog.Image;
import io.freehold.controlplane.catalog.ImagePart;
import io.freehold.controlplane.catalog.Images;
import io.freehold.controlplane.catalog.PartRole;
import io.freehold.controlplane.compute.decision.Convergence;
import io.freehold.controlplane.compute.decision.HostCommand;
import io.freehold.controlplane.compute.decision.InstanceDecisions;
import io.freehold.controlplane.compute.decision.InstanceStatus;
import io.freehold.controlplane.compute.decision.PowerState;
import io.freehold.controlplane.compute.decision.ResizeDecisions;
import org.springframework.stereotype.Component;

/**
 * The instance reconciler's provisioning step for instances that have a host: reads the newest command
 * for the instance on its host, asks {@link InstanceDecisions#converge} what to do (and {@link
 * ResizeDecisions#settle} how a resize went), and writes the status and the command in the caller's
 * transaction — so a decision and its command commit together.
 */
@Component
class Provisioning {

    private final InstanceStore instances;
    private final AgentCommands commands;
    private final Images images;
    private final Duration stopTimeout;

    Provisioning(InstanceStore instances, AgentCommands commands, Images images, ComputeProperties properties) {
        this.instances = instances;
        this.commands = commands;
        this.images = images;
        this.stopTimeout = properties.stopTimeout();
    }

    /** Converges one locked instance. @return whether it is settled until an event queues it again */
    boolean converge(Instance instance, Instant now) {
        String hostId = instance.status().hostId();
        Optional<HostCommand> last = commands.latest(hostId, instance.consumerRef()).map(Provisioning::hostCommand);
        Convergence convergence = InstanceDecisions.converge(instance.spec().power(), instance.status(), last,
                instances.observation(instance.id()), instances.hostUnreachable(hostId), now);
        convergence.send().ifPresent(kind -> {
            if (kind == HostCommand.Kind.PUT) {
                commands.putGuest(hostId, putGuest(instance));
            } else {
                commands.deleteGuest(hostId, DeleteGuest.newBuilder().setInstanceId(instance.id()).setGeneration(instance.spec().generation())
                        .build());
            }
        });
        InstanceStatus status = ResizeDecisions.settle(instance.spec().generation(), convergence.status(), now);
        if (!status.equals(instance.status())) {
            instances.updateStatus(instance.id(), status, now);
        }
        if (convergence.remove()) {
            instances.markDeleted(instance.id(), now);
        }
        return convergence.settled();
    }

    /**
     * The image is the one the instance was created with: a referenced image cannot be deleted
     * ({@link io.freehold.controlplane.catalog.ImageReferences}), so it is always there and active.
     */
    private PutGuest putGuest(Instance instance) {
        InstanceSpec spec = instance.spec();
        Image image = images.usableBy(instance.tenantId(), spec.imageRef()).orElseThrow(() -> new IllegalStateException(
                "instance " + instance.id() + " refers to image " + spec.imageRef() + ", which is gone"));
        return PutGuest.newBuilder()
                .setInstanceId(instance.id())
                .setGeneration(spec.generation())
                .setTenantId(instance.tenantId())
                .setName(instance.name())
                .setVcpus(spec.vcpus())
                .setMemoryMib(spec.memoryMib())
                .setRootDiskGib(spec.rootDiskGib())
                .setPowerState(spec.powerState() == PowerState.RUNNING ? io.freehold.agent.v1.PowerState.POWER_STATE_RUNNING
                        : io.freehold.agent.v1.PowerState.POWER_STATE_STOPPED)
                .setRebootCount((int) spec.rebootCount())
                .setStopTimeout(com.google.protobuf.Duration.newBuilder().setSeconds(stopTimeout.toSeconds()))
                .setImage(guestImage(image))
                .setSeed(CloudInitSeed.newBuilder().setHostname(instance.name()).addAllSshAuthorizedKeys(spec.sshKeys())
                        .setUserData(spec.userData() == null ? "" : spec.userData()))
                .build();
    }

    private static GuestImage guestImage(Image image) {
        GuestImage.Builder guest = GuestImage.newBuilder().setImageId(image.id());
        return switch (image.format()) {
            case QCOW2 -> guest.setDisk(part(image, PartRole.DISK)).build();
            case KERNEL_INITRD -> guest.setKernel(KernelBoot.newBuilder().setKernel(part(image, PartRole.KERNEL))
                    .setInitrd(part(image, PartRole.INITRD)).setCmdline(image.kernelCmdline())).build();
        };
    }

    private static io.freehold.agent.v1.ImagePart part(Image image, PartRole role) {
        ImagePart part = image.part(role).orElseThrow(() -> new IllegalStateException("image " + image.id() + " has no " + role + " part"));
        return io.freehold.agent.v1.ImagePart.newBuilder().setSha256(part.sha256()).setSizeBytes(part.sizeBytes()).build();
    }

    private static HostCommand hostCommand(AgentCommands.CommandState command) {
        HostCommand.Kind kind = "DeleteGuest".equals(command.type()) ? HostCommand.Kind.DELETE : HostCommand.Kind.PUT;
        HostCommand.State state = switch (command.state()) {
            case "succeeded" -> HostCommand.State.SUCCEEDED;
            case "failed" -> HostCommand.State.FAILED;
            default -> HostCommand.State.PENDING;
        };
        return new HostCommand(kind, command.generation(), state, command.failureCode(), command.failureReason(), command.seq());
    }
}
