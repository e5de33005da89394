package io.freehold.agent.guest;

import java.util.List;

/**
 * What {@link Guests#put} changed on the host, in the order it did it. No changes means the guest already matched, or
 * the spec was superseded.
 *
 * @param diskGrowthPending the spec asks for a larger root disk than the file has, and the guest was running, so the
 *                          disk was left as it was; it grows at the next {@code put} that finds the guest shut off
 *                          (a stop, or a reboot, which the agent performs as a power cycle)
 * @param superseded        the domain already realises a newer spec (a higher generation, or the same generation with
 *                          a higher reboot count), so this older one, delivered late, changed nothing
 */
public record PutOutcome(List<Change> changes, boolean diskGrowthPending, boolean superseded) {

    /** One thing {@code put} did. */
    public enum Change {
        CREATED_DISK, GREW_DISK, WROTE_SEED, DEFINED, SHUT_DOWN, FORCED_OFF, STARTED, RESUMED
    }

    static final PutOutcome NOTHING = new PutOutcome(List.of(), false, false);
    static final PutOutcome SUPERSEDED = new PutOutcome(List.of(), false, true);

    public PutOutcome {
        changes = List.copyOf(changes);
    }
}
