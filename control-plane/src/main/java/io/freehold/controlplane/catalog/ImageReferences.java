package io.freehold.controlplane.catalog;

/**
 * What refers to images, as the feature that refers to them (instances) counts it, so that an image in use
 * is never deleted while the catalog reads no other feature's tables.
 */
public interface ImageReferences {

    /**
     * How many live (not deleted) things name the image by its id. Called with the image's row locked {@code
     * for update}; whatever starts using an image takes that row {@code for share} first ({@link
     * Images#holdUsableBy}), so the count cannot grow before the delete commits.
     */
    long liveUsersOfImage(String imageId);
}
