package io.freehold.e2e;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Ports on the root namespace's loopback, where other runs and other programs listen too. */
final class LoopbackPort {

    private LoopbackPort() {
    }

    /** A port free right now; another program could take it before it is used, which then fails loudly. */
    static int free() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
