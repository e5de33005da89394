package io.freehold.controlplane.inventory;

/** A heartbeat's measurements. */
public record HostUtilisation(double loadAverage1m, long freeMemoryBytes, long freeStorageBytes, int guestCount) {
}
