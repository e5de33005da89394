package io.freehold.controlplane.scheduling.decision;

import java.util.Optional;

/**
 * Where one request goes, if anywhere, and why.
 *
 * @param host the chosen host as the snapshot saw it (its version is what the applier re-checks), or null
 */
public record Plan(HostSnapshot host, Explanation explanation) {

    public Optional<String> hostId() {
        return Optional.ofNullable(host).map(HostSnapshot::hostId);
    }
}
