package io.freehold.controlplane.platform;

import java.util.LinkedHashMap;
import java.util.Map;

import io.freehold.controlplane.testing.Fixtures;
import io.freehold.controlplane.testing.Fixtures.Principal;

/**
 * The callers of the authorization matrix: tenant A with one user per tenant role, a tenant-admin of
 * tenant B as the foreign caller, and two operators made through {@code /api/v1/ops/users}, each with
 * a token; both tenants pay by a price list in force. Made once per test class; the matrix's requests
 * never delete or revoke them.
 *
 * @param principals by matrix column; {@code anonymous} has none
 */
record MatrixCallers(String tenantA, Map<String, Principal> principals) {

    static final String ANONYMOUS = "anonymous";

    static MatrixCallers create(Fixtures fixtures) {
        String tenantA = fixtures.tenant();
        String tenantB = fixtures.tenant();
        // The billing rows rate each tenant's month, which takes prices.
        fixtures.pricesInForce(tenantA);
        fixtures.pricesInForce(tenantB);
        Map<String, Principal> principals = new LinkedHashMap<>();
        principals.put("ops-admin", fixtures.principal(null, "ops-admin"));
        principals.put("ops-viewer", fixtures.principal(null, "ops-viewer"));
        principals.put("tenant-admin", fixtures.principal(tenantA, "tenant-admin"));
        principals.put("tenant-member", fixtures.principal(tenantA, "tenant-member"));
        principals.put("tenant-viewer", fixtures.principal(tenantA, "tenant-viewer"));
        principals.put("foreign-tenant", fixtures.principal(tenantB, "tenant-admin"));
        return new MatrixCallers(tenantA, Map.copyOf(principals));
    }

    Principal principal(String caller) {
        Principal principal = principals.get(caller);
        if (principal == null) {
            throw new IllegalArgumentException("no principal for caller " + caller);
        }
        return principal;
    }

    /** The bearer token to send, or null for {@value #ANONYMOUS}. */
    String token(String caller) {
        return ANONYMOUS.equals(caller) ? null : principal(caller).token();
    }
}
