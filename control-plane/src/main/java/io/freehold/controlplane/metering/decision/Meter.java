package io.freehold.controlplane.metering.decision;

import java.math.BigDecimal;

/**
 * What metering counts, with the exact integer unit its quantities are kept in. A quantity is always a whole
 * number of {@link #storedUnit()}s; the meter's published unit is that number divided by {@link #perPublishedUnit()}.
 * Memory is kept in MiB·seconds so that no hour is ever rounded: GiB·seconds are derived once, from a total, by
 * {@link #published(long)}, and since 1024 is a power of two that division is an exact decimal — summing hours
 * first and dividing afterwards gives the same number as dividing each hour, with no drift.
 */
public enum Meter {
    /** Seconds the instance ran, tagged with the shape it ran with. */
    INSTANCE_SECONDS("instance.seconds", "s", 1),
    /** vCPUs × seconds running. */
    VCPU_SECONDS("vcpu.seconds", "vCPU·s", 1),
    /** Memory × seconds running, kept in MiB·s; published in GiB·s (÷ 1024, exact). */
    MEMORY_GIB_SECONDS("memory.gib.seconds", "MiB·s", 1024),
    /** Root disk GiB × seconds from provisioned to deleted, running or not. */
    DISK_GIB_SECONDS("disk.gib.seconds", "GiB·s", 1);

    private final String meterName;
    private final String storedUnit;
    private final long perPublishedUnit;

    Meter(String meterName, String storedUnit, long perPublishedUnit) {
        this.meterName = meterName;
        this.storedUnit = storedUnit;
        this.perPublishedUnit = perPublishedUnit;
    }

    /** The name usage is stored and shown under, e.g. {@code memory.gib.seconds}. */
    public String meterName() {
        return meterName;
    }

    /** The unit of a stored quantity. */
    public String storedUnit() {
        return storedUnit;
    }

    /** How many stored units make one published unit. */
    public long perPublishedUnit() {
        return perPublishedUnit;
    }

    /** A stored quantity in the published unit, exactly (every divisor is a power of two, so the decimal terminates). */
    public BigDecimal published(long storedQuantity) {
        BigDecimal quantity = BigDecimal.valueOf(storedQuantity);
        return perPublishedUnit == 1 ? quantity : quantity.divide(BigDecimal.valueOf(perPublishedUnit));
    }
}
