package io.freehold.controlplane.compute;

import java.util.List;
import java.util.Map;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** Request bodies of the instance endpoints. Rules a field annotation cannot say are checked in {@link InstanceService}. */
final class InstanceRequests {

    static final String NAME = "[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?";
    static final int MAX_SSH_KEYS = 32;
    static final int MAX_USER_DATA_BYTES = 65_536;

    private InstanceRequests() {
    }

    /**
     * @param name a DNS label, since it becomes the guest's hostname
     * @param imageRef the image to boot, by id or name ({@link io.freehold.controlplane.catalog.Images#holdUsableBy})
     * @param sshKeys OpenSSH public keys, one line each
     * @param userData cloud-init user data, at most 64 KiB of UTF-8
     */
    record Create(
            @NotNull(message = "is required")
            @Pattern(regexp = NAME, message = "must be 1 to 63 lowercase letters, digits and dashes, starting and ending with a letter or digit")
            String name,
            @NotNull(message = "is required") String flavorId,
            @NotNull(message = "is required")
            @Pattern(regexp = "[\\x21-\\x7e]{1,255}", message = "must be 1 to 255 visible ASCII characters")
            String imageRef,
            @Size(max = MAX_SSH_KEYS, message = "must have at most " + MAX_SSH_KEYS + " keys")
            List<String> sshKeys,
            String userData,
            String placementGroupId,
            Map<String, String> labels) {
    }

    /** @param flavorId the flavor to take the sizes of, named as at create */
    record Resize(@NotNull(message = "is required") String flavorId) {
    }
}
