package io.freehold.controlplane.platform.audit;

import java.util.Map;

import io.freehold.controlplane.platform.security.Caller;

/**
 * The audit log as features write to it. Every successful mutation records one entry in the same
 * transaction as the change, so an entry exists exactly when the change committed.
 */
public interface AuditTrail {

    /**
     * @param caller who acted
     * @param tenantId the tenant the change concerns, or null for installation-wide changes; tenants
     *                 read the entries of their own tenant
     * @param action dotted verb such as {@code user.create}
     * @param target the id of the object acted on
     * @param details facts worth keeping; never secrets
     */
    void succeeded(Caller caller, String tenantId, String action, String target, Map<String, Object> details);

    /** Records a refused attempt; runs in its own transaction since the request's was rolled back. */
    void denied(Caller caller, String action, String target, String reason);
}
