package io.freehold.controlplane.compute.decision;

import java.util.Optional;

/**
 * The newest command the control plane wrote for an instance on its host, as the reconciler sees it.
 *
 * @param failureCode set when {@code state} is {@link State#FAILED}: the agent's stable code
 * @param failureReason set when failed: the agent's words, libvirt's among them
 * @param seq its place in the host's command log, to order what the host observed against it
 */
public record HostCommand(Kind kind, long generation, State state, Optional<String> failureCode, Optional<String> failureReason,
                          long seq) {

    public enum Kind {
        /** Make the guest as the spec says. */
        PUT,
        /** Remove the guest. */
        DELETE
    }

    public enum State {
        /** Written; its answer has not come yet. */
        PENDING,
        SUCCEEDED,
        FAILED
    }
}
