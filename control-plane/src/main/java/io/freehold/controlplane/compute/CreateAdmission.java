package io.freehold.controlplane.compute;

import java.time.Instant;

import io.freehold.controlplane.platform.web.ApiProblem;

/**
 * Whether a tenant may create an instance at all right now, for a reason outside compute: today, a monthly budget the
 * tenant has spent and asked to be held to. Billing implements it. Compute owns the question and billing the answer,
 * because billing already depends on compute (instance names and shapes for invoices and rates): compute calling a
 * billing facade would make the two features depend on each other.
 */
public interface CreateAdmission {

    /**
     * Called in the create's transaction, after the request was found valid and before anything is written; it reads
     * only, so a refusal leaves nothing behind.
     *
     * @throws ApiProblem when the tenant may not create an instance now; the problem says why and what would lift it
     */
    void admit(String tenantId, Instant now);
}
