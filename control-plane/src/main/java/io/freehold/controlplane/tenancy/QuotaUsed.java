package io.freehold.controlplane.tenancy;

/** What a tenant holds now, per quota dimension. */
public record QuotaUsed(int vcpus, long memoryMib, long diskGib, int instances) {

    public static final QuotaUsed NONE = new QuotaUsed(0, 0, 0, 0);
}
