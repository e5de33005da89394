package io.freehold.controlplane.inventory.decision;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;

/**
 * What a host can hold (ARCHITECTURE §7), per resource: allocatable = (physical − reserved) × overcommit
 * ratio, rounded down to whole units and never below zero; free = allocatable − allocated. Free is
 * negative when a lowered ratio left more allocated than the host may now hold: its guests keep running,
 * new work is refused, and the host is flagged as overcommitted.
 */
public final class Capacity {

    private Capacity() {
    }

    /** An amount of each resource placement hands out. */
    public record Resources(long vcpus, long memoryMib, long diskGib) {

        public static final Resources NONE = new Resources(0, 0, 0);

        public Resources plus(Resources other) {
            return new Resources(vcpus + other.vcpus, memoryMib + other.memoryMib, diskGib + other.diskGib);
        }

        public Resources minus(Resources other) {
            return new Resources(vcpus - other.vcpus, memoryMib - other.memoryMib, diskGib - other.diskGib);
        }

        /** Each resource at least zero. */
        public Resources atLeastZero() {
            return new Resources(Math.max(0, vcpus), Math.max(0, memoryMib), Math.max(0, diskGib));
        }

        boolean anyBelowZero() {
            return vcpus < 0 || memoryMib < 0 || diskGib < 0;
        }
    }

    /** Overcommit ratios; each above zero. */
    public record Ratios(BigDecimal cpu, BigDecimal memory, BigDecimal disk) {
    }

    /** One host's capacity; {@code overcommitted} when anything allocated exceeds what is allocatable. */
    public record HostCapacity(Resources physical, Resources reserved, Ratios ratios, Resources allocatable,
                               Resources allocated, Resources free, boolean overcommitted) {
    }

    /**
     * A host's capacity in a sum.
     *
     * @param schedulable whether new work may go there now (READY and not cordoned)
     */
    public record Member(HostCapacity capacity, boolean schedulable) {
    }

    /**
     * The sum over hosts.
     *
     * @param schedulableFree the free resources of schedulable hosts only, overcommitted ones counting zero
     */
    public record Totals(int hosts, Resources physical, Resources reserved, Resources allocatable, Resources allocated,
                         Resources free, Resources schedulableFree) {
    }

    public static HostCapacity of(Resources physical, Resources reserved, Ratios ratios, Resources allocated) {
        Resources usable = physical.minus(reserved).atLeastZero();
        Resources allocatable = new Resources(
                scaled(usable.vcpus(), ratios.cpu()),
                scaled(usable.memoryMib(), ratios.memory()),
                scaled(usable.diskGib(), ratios.disk()));
        Resources free = allocatable.minus(allocated);
        return new HostCapacity(physical, reserved, ratios, allocatable, allocated, free, free.anyBelowZero());
    }

    public static Totals total(List<Member> members) {
        Resources physical = Resources.NONE;
        Resources reserved = Resources.NONE;
        Resources allocatable = Resources.NONE;
        Resources allocated = Resources.NONE;
        Resources free = Resources.NONE;
        Resources schedulableFree = Resources.NONE;
        for (Member member : members) {
            HostCapacity host = member.capacity();
            physical = physical.plus(host.physical());
            reserved = reserved.plus(host.reserved());
            allocatable = allocatable.plus(host.allocatable());
            allocated = allocated.plus(host.allocated());
            free = free.plus(host.free());
            if (member.schedulable()) {
                schedulableFree = schedulableFree.plus(host.free().atLeastZero());
            }
        }
        return new Totals(members.size(), physical, reserved, allocatable, allocated, free, schedulableFree);
    }

    private static long scaled(long amount, BigDecimal ratio) {
        return BigDecimal.valueOf(amount).multiply(ratio).setScale(0, RoundingMode.FLOOR).longValueExact();
    }
}
