package io.freehold.controlplane.compute.decision;

import java.util.Optional;

/**
 * What the provisioning step does for a placed instance: its new status, the command to write for its
 * host, and whether the instance is gone for good.
 *
 * @param send the command to write now, if any
 * @param remove the host confirmed the guest is gone: the instance is removed
 * @param settled nothing more to do until an event (a spec change, the host's answer) queues it again
 */
public record Convergence(InstanceStatus status, Optional<HostCommand.Kind> send, boolean remove, boolean settled) {
}
