package io.freehold.controlplane.catalog;

import java.time.Instant;

/**
 * One file of an image.
 *
 * @param sha256 the SHA-256 declared when the image was created, 64 lowercase hex digits; once uploaded, the
 *               file's name in the images directory
 * @param sizeBytes null until the upload matched
 * @param uploadedAt null until the upload matched
 */
public record ImagePart(PartRole role, String sha256, Long sizeBytes, Instant uploadedAt) {

    public boolean uploaded() {
        return uploadedAt != null;
    }
}
