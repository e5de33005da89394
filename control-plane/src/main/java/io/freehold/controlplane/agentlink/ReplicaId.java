package io.freehold.controlplane.agentlink;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * This control-plane process among the replicas sharing one database: the machine's name, so an
 * operator reading {@code agent_session} knows where to look, plus random bits that differ on every
 * start, so a restarted replica never mistakes its predecessor's sessions for its own.
 */
record ReplicaId(String value) {

    static ReplicaId generate() {
        byte[] random = new byte[6];
        new SecureRandom().nextBytes(random);
        return new ReplicaId(hostname() + "-" + HexFormat.of().formatHex(random));
    }

    private static String hostname() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "replica";
        }
    }

    @Override
    public String toString() {
        return value;
    }
}
