package io.freehold.controlplane.scheduling.decision;

/** Why a host was turned away, in the order the filters run; the label is what explanations print. */
public enum Rejection {
    NOT_READY("not ready"),
    CORDONED("cordoned"),
    OTHER_SITE("in another site"),
    MISSING_LABELS("missing labels"),
    INSUFFICIENT_VCPUS("insufficient vCPUs"),
    INSUFFICIENT_MEMORY("insufficient memory"),
    INSUFFICIENT_DISK("insufficient disk"),
    ANTI_AFFINITY("anti-affinity"),
    AFFINITY("affinity");

    private final String label;

    Rejection(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
