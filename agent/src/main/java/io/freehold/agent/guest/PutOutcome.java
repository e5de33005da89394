package io.freehold.agent.guest;

import java.util.List;

/**
 * What {@link Guests#put} changed on the host, in the order it did it. No changes means the guest already matched.
 *
 * @param diskGrowthPending the spec asks for a larger root disk than the file has, and the guest was running, so the
 *                          disk was left as it was; it grows at the next {@code put} that finds the guest shut off
 *                          (a stop, or a reboot, which the agent performs as a power cycle)
 */
public record PutOutcome(List<Change> changes, boolean diskGrowthPending) {

    /** One thing {@code put} did. */
    public enum Change {
        CREATED_DISK, GREW_DISK, DEFINED, SHUT_DOWN, FORCED_OFF, STARTED, RESUMED
    }

    static final PutOutcome NOTHING = new PutOutcome(List.of(), false);

    public PutOutcome {
        changes = List.copyOf(changes);
    }
}
