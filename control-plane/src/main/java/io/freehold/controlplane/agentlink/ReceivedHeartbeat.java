package io.freehold.controlplane.agentlink;

import io.freehold.controlplane.inventory.HostUtilisation;

/** A heartbeat as one stream received it: which host, on which stream, and the utilisation it carried. */
record ReceivedHeartbeat(String hostId, String connectionId, HostUtilisation utilisation) {
}
