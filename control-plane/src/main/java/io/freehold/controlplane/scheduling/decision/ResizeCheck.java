package io.freehold.controlplane.scheduling.decision;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import io.freehold.controlplane.inventory.decision.Capacity.Resources;

/**
 * Whether an allocation can change size where it is, on the host that holds it (a resize of a stopped
 * instance): only growth needs room, so a resource that shrinks or stays always fits — even on a host
 * whose lowered ratio left it holding more than it may, where refusing a shrink would help nobody. The
 * host's state, cordon and group rules are not looked at: the guest is there already, and a cordon keeps
 * new guests away, not the ones it holds.
 */
public final class ResizeCheck {

    private ResizeCheck() {
    }

    /**
     * One resource the host lacks for the growth.
     *
     * @param dimension the resource as the API names it: {@code vcpus}, {@code memoryMib}, {@code diskGib}
     * @param more how much more the new size needs than the allocation holds now
     * @param free what the host has free now; negative on an overcommitted host
     */
    public record Shortfall(Rejection rejection, String dimension, String unit, long more, long free) {

        /** {@code needs 4096 MiB more but 1024 MiB are free}. */
        public String message() {
            String available = free < 0 ? "none are free (the host is overcommitted by " + -free + " " + unit + ")" : free + " " + unit + " are free";
            return "needs " + more + " " + unit + " more but " + available;
        }
    }

    /**
     * @param host the host as it is now, read under its row lock; its {@code allocated} includes {@code held}
     * @param held what the allocation holds now
     * @param wanted the new size
     * @return each resource the host lacks, in the order vCPUs, memory, disk; empty when the new size fits
     */
    public static List<Shortfall> shortfalls(HostSnapshot host, Resources held, Resources wanted) {
        Resources free = host.free();
        List<Shortfall> shortfalls = new ArrayList<>();
        check(shortfalls, Rejection.INSUFFICIENT_VCPUS, "vcpus", "vCPUs", wanted.vcpus() - held.vcpus(), free.vcpus());
        check(shortfalls, Rejection.INSUFFICIENT_MEMORY, "memoryMib", "MiB", wanted.memoryMib() - held.memoryMib(), free.memoryMib());
        check(shortfalls, Rejection.INSUFFICIENT_DISK, "diskGib", "GiB", wanted.diskGib() - held.diskGib(), free.diskGib());
        return shortfalls;
    }

    /**
     * The sentence for people, worded as placement words its rejections: {@code h-… cannot hold the new size:
     * insufficient memory (needs 4096 MiB more but 1024 MiB are free)}.
     */
    public static String explanation(String hostId, List<Shortfall> shortfalls) {
        return hostId + " cannot hold the new size: " + shortfalls.stream()
                .map(shortfall -> shortfall.rejection().label() + " (" + shortfall.message() + ")")
                .collect(Collectors.joining(", "));
    }

    private static void check(List<Shortfall> shortfalls, Rejection rejection, String dimension, String unit, long more, long free) {
        if (more > 0 && more > free) {
            shortfalls.add(new Shortfall(rejection, dimension, unit, more, free));
        }
    }
}
