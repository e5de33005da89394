package io.freehold.agent.guest;

import java.util.List;

/**
 * The domains on a host as the agent sees them: Freehold's own guests, and domains whose names look like instance ids
 * but which Freehold did not define (no metadata in its namespace, or metadata naming another instance). The latter
 * are orphan candidates for operators to look at; the agent reports them and never changes or removes them.
 */
public record GuestInventory(List<Guest> guests, List<ForeignDomain> foreign) {

    public GuestInventory {
        guests = List.copyOf(guests);
        foreign = List.copyOf(foreign);
    }

    /**
     * A domain Freehold defined. From the metadata of its persistent definition: the tenant, the generation, the reboot
     * count and the root disk size. From libvirt's runtime view: the power state, the runtime domain id, and the vCPUs
     * and memory (those the guest runs with while it is active, those it will start with while it is off).
     *
     * @param runtimeId libvirt's id of the running domain, {@link #NOT_RUNNING} while it is off. libvirt hands out a
     *                  new id at every start, so the same id at two looks means the guest ran on in between
     */
    public record Guest(String instanceId, String tenantId, long generation, long rebootCount, PowerState power,
                        int runtimeId, Shape shape) {

        /** The runtime id libvirt gives a domain that is not running. */
        public static final int NOT_RUNNING = -1;

        public boolean isRunning() {
            return power.isActive();
        }
    }

    /** What a guest is given: vCPUs and memory as libvirt reports them, the root disk as it was defined. */
    public record Shape(int vcpus, long memoryMib, long rootDiskGib) {
    }

    /** A domain named like an instance that Freehold does not own, and why the agent thinks so. */
    public record ForeignDomain(String name, PowerState power, String reason) {
    }
}
