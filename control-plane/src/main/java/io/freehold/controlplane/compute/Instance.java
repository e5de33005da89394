package io.freehold.controlplane.compute;

import java.time.Instant;
import java.util.Map;

import io.freehold.controlplane.compute.decision.InstanceStatus;

/**
 * An instance as stored and as the API shows it: what the tenant asked for ({@code spec}) and what was
 * observed ({@code status}). Ready means {@code status.observedGeneration == spec.generation} and the
 * phase wanted (ARCHITECTURE §3.1).
 *
 * @param name unique among the tenant's live instances; a DNS label, since it becomes the guest's hostname
 * @param deletedAt when it was removed; such an instance is no longer shown
 */
public record Instance(String id, String tenantId, String name, Map<String, String> labels, InstanceSpec spec, InstanceStatus status,
                       Instant createdAt, Instant updatedAt, Instant deletedAt) {

    static final String ID_PREFIX = "i";
    /** How placement and the work queue name an instance. */
    static final String CONSUMER_PREFIX = "instance:";

    String consumerRef() {
        return CONSUMER_PREFIX + id;
    }

    Instance withStatus(InstanceStatus newStatus) {
        return new Instance(id, tenantId, name, labels, spec, newStatus, createdAt, updatedAt, deletedAt);
    }

    /** The same instance without its user data, as lists show it. */
    Instance summary() {
        return new Instance(id, tenantId, name, labels, spec.withoutUserData(), status, createdAt, updatedAt, deletedAt);
    }
}
