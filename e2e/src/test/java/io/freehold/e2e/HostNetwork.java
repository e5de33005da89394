package io.freehold.e2e;

/**
 * A control plane's network namespace and one host's, joined by a veth pair on a /30: the host reaches
 * the control plane only over that link, so taking the host's end down is a cut cable. The root
 * namespace gets no address (ENVIRONMENT.md, "Networks": traffic may only go to loopback or to
 * namespaces the test created), so the test reaches the control plane's REST port through a
 * {@link RestRelay} instead. The veth ends are created directly inside the two namespaces and never
 * exist in the root namespace, so their fixed names cannot collide with another run's.
 */
final class HostNetwork implements AutoCloseable {

    static final String CONTROL_PLANE_ADDRESS = "10.201.0.1";
    static final String HOST_ADDRESS = "10.201.0.2";
    private static final String PREFIX_LENGTH = "/30";
    private static final String CONTROL_PLANE_END = "veth-cp";
    private static final String HOST_END = "veth-host";

    private final NetworkNamespace controlPlane;
    private final NetworkNamespace host;

    private HostNetwork(NetworkNamespace controlPlane, NetworkNamespace host) {
        this.controlPlane = controlPlane;
        this.host = host;
    }

    static HostNetwork create() {
        NetworkNamespace controlPlane = NetworkNamespace.create("cp");
        NetworkNamespace host = null;
        try {
            host = NetworkNamespace.create("host");
            Command.run("ip", "link", "add", CONTROL_PLANE_END, "netns", controlPlane.name(), "type", "veth",
                    "peer", "name", HOST_END, "netns", host.name());
            controlPlane.ip("address", "add", CONTROL_PLANE_ADDRESS + PREFIX_LENGTH, "dev", CONTROL_PLANE_END);
            host.ip("address", "add", HOST_ADDRESS + PREFIX_LENGTH, "dev", HOST_END);
            controlPlane.ip("link", "set", CONTROL_PLANE_END, "up");
            host.ip("link", "set", HOST_END, "up");
            return new HostNetwork(controlPlane, host);
        } catch (RuntimeException | Error e) {
            if (host != null) {
                host.close();
            }
            controlPlane.close();
            throw e;
        }
    }

    NetworkNamespace controlPlane() {
        return controlPlane;
    }

    NetworkNamespace host() {
        return host;
    }

    /**
     * Takes the host's end of the link down: the kernel drops the host's route to the control plane, the
     * packets of the open connection go nowhere, and neither side gets a FIN or a RST. Processes keep
     * running; only heartbeats stop arriving.
     */
    void cutHostLink() {
        host.ip("link", "set", HOST_END, "down");
    }

    /** Brings the host's end up again; the kernel restores its route by itself. */
    void restoreHostLink() {
        host.ip("link", "set", HOST_END, "up");
    }

    @Override
    public void close() {
        try {
            host.close();
        } finally {
            controlPlane.close();
        }
    }
}
