package io.freehold.controlplane.metering;

/** The lifecycle facts metering counts (ARCHITECTURE §3.6), by the names the event log stores. */
public enum LifecycleEventKind {
    PROVISIONED, STARTED, STOPPED, RESIZED, DELETED;

    String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
