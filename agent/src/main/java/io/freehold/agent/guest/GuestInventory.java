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

    /** A domain Freehold defined: the generation and reboot count its persistent definition records. */
    public record Guest(String instanceId, long generation, long rebootCount, PowerState power) {
    }

    /** A domain named like an instance that Freehold does not own, and why the agent thinks so. */
    public record ForeignDomain(String name, PowerState power, String reason) {
    }
}
