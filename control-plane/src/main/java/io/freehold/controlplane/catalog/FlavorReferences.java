package io.freehold.controlplane.catalog;

/**
 * What refers to flavors, as the feature that refers to them (instances) counts it, so that a flavor in
 * use is never deleted while the catalog reads no other feature's tables.
 */
public interface FlavorReferences {

    /**
     * How many live (not deleted) things use the flavor. Called with the flavor's row locked {@code for
     * update}; whatever starts using a flavor takes that row {@code for share} first ({@link
     * Flavors#holdUsableBy}), so the count cannot grow before the delete commits.
     */
    long liveUsersOfFlavor(String flavorId);
}
