package io.freehold.controlplane.agentlink;

import java.util.List;

import io.freehold.controlplane.metering.GuestCounterReading;
import io.freehold.controlplane.inventory.HostUtilisation;

/**
 * A heartbeat as one stream received it: which host, on which stream, the utilisation it carried and its guests'
 * running-seconds counters (empty before protocol version 3).
 */
record ReceivedHeartbeat(String hostId, String connectionId, HostUtilisation utilisation, List<GuestCounterReading> counters) {

    ReceivedHeartbeat {
        counters = List.copyOf(counters);
    }

    ReceivedHeartbeat(String hostId, String connectionId, HostUtilisation utilisation) {
        this(hostId, connectionId, utilisation, List.of());
    }
}
