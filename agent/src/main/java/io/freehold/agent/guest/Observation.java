package io.freehold.agent.guest;

import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

import io.freehold.agent.guest.GuestInventory.Guest;

/**
 * Freehold's guests on the host at one look, by instance id (in id order), with what comparing two looks needs: when the
 * look was (the agent's clock), on which boot of the host, and the seq of the last command applied before it.
 *
 * @param bootId the host's boot id. libvirt numbers running domains afresh after the host reboots, so runtime ids
 *               are comparable only between looks of one boot
 */
public record Observation(Instant at, String bootId, long appliedSeq, Map<String, Guest> guests) {

    public Observation {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(bootId, "boot id");
        guests = Collections.unmodifiableMap(new TreeMap<>(guests));
    }

    /** What an agent that never looked knows: no guest at all, so everything found at its first look is new. */
    static Observation none() {
        return new Observation(Instant.EPOCH, "", 0, Map.of());
    }

    /**
     * Whether the guest ran, at this look and at the later one, as the same run of its domain: same boot, same
     * runtime id. A guest stopped and started again between the two looks has a new runtime id.
     */
    boolean ranOn(String instanceId, Observation later) {
        Guest before = guests.get(instanceId);
        Guest after = later.guests.get(instanceId);
        return before != null && after != null && before.isRunning() && after.isRunning()
                && bootId.equals(later.bootId) && before.runtimeId() == after.runtimeId();
    }
}
