package io.freehold.controlplane.metering;

/**
 * One guest's running-seconds counter as its host's agent reported it in a heartbeat.
 *
 * @param power what the guest was doing then, in the agent's words (e.g. {@code RUNNING}, {@code SHUT_OFF})
 */
public record GuestCounterReading(String hostId, String instanceId, long runningSeconds, String power) {

    public GuestCounterReading {
        if (runningSeconds < 0) {
            throw new IllegalArgumentException("a running-seconds counter is never negative, not " + runningSeconds);
        }
    }
}
