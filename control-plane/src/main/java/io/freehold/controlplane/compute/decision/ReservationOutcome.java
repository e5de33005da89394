package io.freehold.controlplane.compute.decision;

/**
 * What placement answered for one instance in a scheduling pass.
 *
 * @param hostId the host reserved on, when {@code kind} is {@link Kind#PLACED}
 * @param explanation placement's sentence, or the refusal's detail
 */
public record ReservationOutcome(Kind kind, String hostId, String explanation) {

    public enum Kind {
        /** Resources are reserved on a host. */
        PLACED,
        /** No host can take it now. */
        NO_FIT,
        /** The tenant's quota has no room for it. */
        QUOTA_EXCEEDED,
        /** Its spec cannot be placed at all, e.g. a placement group that is not the tenant's. */
        REFUSED
    }

    public static ReservationOutcome placed(String hostId, String explanation) {
        return new ReservationOutcome(Kind.PLACED, hostId, explanation);
    }

    public static ReservationOutcome noFit(String explanation) {
        return new ReservationOutcome(Kind.NO_FIT, null, explanation);
    }

    public static ReservationOutcome quotaExceeded(String explanation) {
        return new ReservationOutcome(Kind.QUOTA_EXCEEDED, null, explanation);
    }

    public static ReservationOutcome refused(String explanation) {
        return new ReservationOutcome(Kind.REFUSED, null, explanation);
    }
}
