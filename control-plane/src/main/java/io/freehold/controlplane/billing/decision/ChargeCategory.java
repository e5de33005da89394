package io.freehold.controlplane.billing.decision;

/** What a line charges for; the names are FOCUS's ChargeCategory values. */
public enum ChargeCategory {
    /** Usage of the invoice's period. */
    USAGE("Usage"),
    /** Late usage of an earlier, closed period, recorded during this one. */
    ADJUSTMENT("Adjustment"),
    /** A credit note. */
    CREDIT("Credit");

    private final String focusName;

    ChargeCategory(String focusName) {
        this.focusName = focusName;
    }

    public String focusName() {
        return focusName;
    }
}
