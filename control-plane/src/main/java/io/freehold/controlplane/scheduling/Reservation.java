package io.freehold.controlplane.scheduling;

import java.util.Optional;

import io.freehold.controlplane.platform.web.ApiProblem;

/**
 * The answer to a reservation: the allocation when a host was found, and in every case the explanation a
 * person can read ("0 of 120 hosts fit: 80 insufficient memory, 30 cordoned, 10 anti-affinity").
 *
 * @param refusal why the request was not even planned: the quota has no room, or the group is not the tenant's
 */
public record Reservation(Optional<Allocation> allocation, String explanation, Optional<ApiProblem> refusal) {

    static Reservation placed(Allocation allocation, String explanation) {
        return new Reservation(Optional.of(allocation), explanation, Optional.empty());
    }

    static Reservation notPlaced(String explanation) {
        return new Reservation(Optional.empty(), explanation, Optional.empty());
    }

    static Reservation refused(ApiProblem problem) {
        return new Reservation(Optional.empty(), problem.getMessage(), Optional.of(problem));
    }

    public boolean placed() {
        return allocation.isPresent();
    }
}
