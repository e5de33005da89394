package io.freehold.controlplane.scheduling;

import java.util.Optional;

/**
 * The answer to a reservation: the allocation when a host was found, and in every case the explanation a
 * person can read ("0 of 120 hosts fit: 80 insufficient memory, 30 cordoned, 10 anti-affinity").
 */
public record Reservation(Optional<Allocation> allocation, String explanation) {

    public boolean placed() {
        return allocation.isPresent();
    }
}
