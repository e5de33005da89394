package io.freehold.controlplane.compute;

import java.time.Instant;

/**
 * The end of an instance's serial console, as its host read it.
 *
 * @param output the bytes as UTF-8 text, malformed sequences replaced
 * @param truncated whether the console log holds more than {@code output}
 * @param readAt when the control plane recorded the host's answer
 */
record InstanceConsole(String instanceId, String output, boolean truncated, Instant readAt) {
}
