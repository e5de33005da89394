package io.freehold.controlplane.agentlink;

import java.time.Duration;
import java.time.Instant;
import java.util.OptionalInt;

/** The arithmetic of an agent session, as plain functions: leases, clock offsets, protocol versions. */
final class SessionTerms {

    /** The newest protocol version this control plane speaks. */
    static final int PROTOCOL_VERSION = 4;
    /** The first version whose sessions carry the command log. */
    static final int COMMANDS_VERSION = 2;
    /** The first version whose agents list their guests in Hello, report lifecycle facts and count running seconds. */
    static final int GUEST_LEDGER_VERSION = 3;
    /** The first version whose agents fetch images and answer ReadConsole. */
    static final int IMAGES_AND_CONSOLE_VERSION = 4;

    private SessionTerms() {
    }

    /**
     * A session stays live for as many heartbeat intervals after the agent was last heard as the liveness
     * sweep tolerates missing, so that a lease lapses exactly when the host would be marked UNREACHABLE.
     */
    static Instant leaseExpiry(Instant lastHeard, Duration heartbeatInterval, int missedHeartbeats) {
        return lastHeard.plus(heartbeatInterval.multipliedBy(missedHeartbeats));
    }

    /**
     * Server clock minus agent clock, measured from one message: add it to an agent's timestamp to get
     * the control plane's time. It includes the message's one-way delay, which on a LAN is far below
     * the whole second metering truncates to.
     */
    static Duration clockOffset(Instant serverReceivedAt, Instant agentSentAt) {
        return Duration.between(agentSentAt, serverReceivedAt);
    }

    /**
     * The version both sides speak: the lower of the agent's and ours, so an agent newer than this
     * replica falls back rather than being refused.
     *
     * @return empty when the agent announced no version at all
     */
    static OptionalInt negotiatedVersion(int agentVersion) {
        return agentVersion < 1 ? OptionalInt.empty() : OptionalInt.of(Math.min(agentVersion, PROTOCOL_VERSION));
    }
}
