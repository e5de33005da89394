package io.freehold.controlplane.inventory;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

/** Request bodies of the join token endpoints. */
final class JoinTokenRequests {

    private JoinTokenRequests() {
    }

    /**
     * @param hostId a pre-registered slot the joining server fills; absent for a new unracked host
     * @param expiresInMinutes lifetime; {@code freehold.inventory.join-token-lifetime} when absent
     */
    record Create(
            String hostId,
            @Min(value = 1, message = "must be 1 to 10080 (7 days)") @Max(value = 10080, message = "must be 1 to 10080 (7 days)") Integer expiresInMinutes) {
    }
}
