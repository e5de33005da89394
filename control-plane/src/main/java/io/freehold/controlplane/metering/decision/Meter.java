package io.freehold.controlplane.metering.decision;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.Optional;

/**
 * What metering counts, with the exact integer unit its quantities are kept in. A quantity is always a whole
 * number of {@link #storedUnit()}s; the meter's published unit is that number divided by {@link #perPublishedUnit()}.
 * Memory is kept in MiB·seconds so that no hour is ever rounded: GiB·seconds are derived once, from a total, by
 * {@link #published(long)}, and since 1024 is a power of two that division is an exact decimal — summing hours
 * first and dividing afterwards gives the same number as dividing each hour, with no drift.
 */
public enum Meter {
    /** Seconds the instance ran, tagged with the shape it ran with. */
    INSTANCE_SECONDS("instance.seconds", "s", "s", 1),
    /** vCPUs × seconds running. */
    VCPU_SECONDS("vcpu.seconds", "vCPU·s", "vCPU·s", 1),
    /** Memory × seconds running, kept in MiB·s; published in GiB·s (÷ 1024, exact). */
    MEMORY_GIB_SECONDS("memory.gib.seconds", "MiB·s", "GiB·s", 1024),
    /** Root disk GiB × seconds from provisioned to deleted, running or not. */
    DISK_GIB_SECONDS("disk.gib.seconds", "GiB·s", "GiB·s", 1);

    private final String meterName;
    private final String storedUnit;
    private final String publishedUnit;
    private final long perPublishedUnit;

    Meter(String meterName, String storedUnit, String publishedUnit, long perPublishedUnit) {
        this.meterName = meterName;
        this.storedUnit = storedUnit;
        this.publishedUnit = publishedUnit;
        this.perPublishedUnit = perPublishedUnit;
    }

    /** The meter named {@code meterName}, if there is one. */
    public static Optional<Meter> named(String meterName) {
        return Arrays.stream(values()).filter(meter -> meter.meterName.equals(meterName)).findFirst();
    }

    /** The name usage is stored and shown under, e.g. {@code memory.gib.seconds}. */
    public String meterName() {
        return meterName;
    }

    /** The unit of a stored quantity. */
    public String storedUnit() {
        return storedUnit;
    }

    /** The unit of a published quantity, e.g. {@code GiB·s}. */
    public String publishedUnit() {
        return publishedUnit;
    }

    /** How many stored units make one published unit. */
    public long perPublishedUnit() {
        return perPublishedUnit;
    }

    /** A stored quantity in the published unit, exactly (every divisor is a power of two, so the decimal terminates). */
    public BigDecimal published(long storedQuantity) {
        return published(BigDecimal.valueOf(storedQuantity));
    }

    /**
     * A stored total in the published unit, exactly; for sums of many hours, which may pass {@code long}. The result
     * never has a negative scale, so it prints as a plain decimal (no exponent).
     *
     * @param storedQuantity a whole number of stored units
     */
    public BigDecimal published(BigDecimal storedQuantity) {
        BigDecimal whole = storedQuantity.setScale(0);
        return perPublishedUnit == 1 ? whole : whole.divide(BigDecimal.valueOf(perPublishedUnit));
    }
}
