package io.freehold.controlplane.compute;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import io.freehold.agent.v1.DeleteGuest;
import io.freehold.agent.v1.PutGuest;
import io.freehold.controlplane.agentlink.AgentCommands;
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
    private final Duration stopTimeout;

    Provisioning(InstanceStore instances, AgentCommands commands, ComputeProperties properties) {
        this.instances = instances;
        this.commands = commands;
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

    private PutGuest putGuest(Instance instance) {
        InstanceSpec spec = instance.spec();
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
                .build();
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
