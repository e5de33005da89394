package io.freehold.agent.guest;

import java.nio.file.Path;

import io.freehold.agent.v1.ImagePart;

/**
 * Where a guest's image parts come from: the local file holding a part's bytes, fetched first when the host does not
 * hold it yet. A file returned always holds exactly the bytes whose SHA-256 the part names.
 */
public interface ImageParts {

    /**
     * @throws GuestFailure when the part cannot be had now, or the bytes fetched do not match its SHA-256 (nothing of
     *                      them is kept then)
     */
    Path local(ImagePart part) throws GuestFailure;
}
