package io.freehold.agent.link;

import java.util.Optional;

import io.grpc.Channel;
import io.grpc.ManagedChannel;

/**
 * The mutual-TLS channel of the connection attempt in progress, for calls beside the {@code Connect} stream (image
 * fetches). Those calls share the session's HTTP/2 connection rather than opening one of their own: the session's
 * channel already carries the identity current at that moment and the address in rotation, keepalive finds a dead link
 * for both, and the control plane sees one connection per host. Empty between attempts; a call that is running when its
 * session ends is cut with it (UNAVAILABLE), and is made again on the next session.
 */
public final class SessionChannel {

    private volatile ManagedChannel current;

    /** The channel of the session in progress, empty while the agent is not connected or is waiting to reconnect. */
    public Optional<Channel> current() {
        return Optional.ofNullable(current);
    }

    void opened(ManagedChannel channel) {
        current = channel;
    }

    void closed() {
        current = null;
    }
}
