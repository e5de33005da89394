package io.freehold.controlplane.catalog;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * An image as stored and as the API shows it.
 *
 * @param tenantId the owning tenant of a private image; null for a public one
 * @param name unique among its owner's images (a tenant's, or the public ones)
 * @param os a free label such as {@code debian-12}, for people and for filters
 * @param architecture only {@code x86_64} for now
 * @param kernelCmdline the command line of a kernel+initrd image; null for qcow2
 * @param sizeBytes the parts' total, once every part has arrived
 * @param failureReason why the image is {@code failed}; null otherwise
 * @param parts exactly the roles its format needs, in role order
 */
public record Image(String id, String tenantId, ImageVisibility visibility, String name, String os, String architecture,
                    ImageFormat format, String kernelCmdline, ImageStatus status, Long sizeBytes, String failureReason,
                    List<ImagePart> parts, Instant createdAt, Instant updatedAt) {

    static final String ID_PREFIX = "img";

    public Image {
        parts = List.copyOf(parts);
    }

    public Optional<ImagePart> part(PartRole role) {
        return parts.stream().filter(part -> part.role() == role).findFirst();
    }

    /** Said in JSON by {@code visibility}, not twice. */
    @JsonIgnore
    public boolean isPublic() {
        return tenantId == null;
    }
}
