package io.freehold.e2e;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The test's way to a REST port that listens on a namespace's loopback: socat inside the namespace
 * serves a unix socket (the file system is shared across network namespaces), and socat in the root
 * namespace serves a free loopback port and forwards each connection to that socket. No address is
 * needed outside loopback. It carries only the test's REST calls, never the traffic under test.
 */
final class RestRelay {

    private RestRelay() {
    }

    /** Starts the relay for {@code port} on {@code namespace}'s loopback; returns the base URL the test uses. */
    static String open(TestResources resources, NetworkNamespace namespace, int port) throws IOException {
        Path socket = resources.scratch().resolve("rest-" + port + ".sock");
        resources.start("rest-relay-in-" + namespace.name(), namespace.command(List.of(
                "socat", "UNIX-LISTEN:" + socket + ",fork,unlink-early", "TCP:127.0.0.1:" + port)), Map.of());
        int relayPort = LoopbackPort.free();
        resources.start("rest-relay-root", List.of(
                "socat", "TCP-LISTEN:" + relayPort + ",bind=127.0.0.1,reuseaddr,fork", "UNIX-CONNECT:" + socket), Map.of());
        return "http://127.0.0.1:" + relayPort;
    }
}
