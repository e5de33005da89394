package io.freehold.controlplane.scheduling.decision;

import java.util.ArrayList;
import java.util.List;

import io.freehold.controlplane.inventory.decision.Capacity.Resources;
import io.freehold.controlplane.tenancy.QuotaLimits;
import io.freehold.controlplane.tenancy.QuotaUsed;

/** Whether a tenant may take more: every dimension of what it uses plus what it asks for stays within its limit. */
public final class QuotaCheck {

    /** One dimension the request would take past its limit, named as the API names the field. */
    public record Shortfall(String dimension, long requested, long used, long limit) {

        public String message() {
            return "needs " + requested + " more but " + used + " of " + limit + " are in use";
        }
    }

    private QuotaCheck() {
    }

    /**
     * @param instances how many instances the request adds (0 for a consumer that is no instance)
     * @return the dimensions that would pass their limits, in the order vcpus, memoryMib, diskGib, instances; empty when it fits
     */
    public static List<Shortfall> shortfalls(QuotaLimits limits, QuotaUsed used, Resources requested, int instances) {
        List<Shortfall> shortfalls = new ArrayList<>();
        check(shortfalls, "vcpus", requested.vcpus(), used.vcpus(), limits.vcpus());
        check(shortfalls, "memoryMib", requested.memoryMib(), used.memoryMib(), limits.memoryMib());
        check(shortfalls, "diskGib", requested.diskGib(), used.diskGib(), limits.diskGib());
        check(shortfalls, "instances", instances, used.instances(), limits.instances());
        return shortfalls;
    }

    private static void check(List<Shortfall> shortfalls, String dimension, long requested, long used, long limit) {
        if (requested > 0 && used + requested > limit) {
            shortfalls.add(new Shortfall(dimension, requested, used, limit));
        }
    }
}
