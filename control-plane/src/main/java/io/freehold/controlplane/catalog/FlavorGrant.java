package io.freehold.controlplane.catalog;

import java.time.Instant;

/** One entry of a flavor's access list: the tenant may use the flavor while it is limited. */
record FlavorGrant(String flavorId, String tenantId, Instant grantedAt) {
}
