package io.freehold.controlplane.catalog;

import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** Request bodies of the image endpoints. Which parts a format needs is checked by {@link ImageService}. */
final class ImageRequests {

    static final String NAME = "[a-z0-9]([a-z0-9._-]{0,61}[a-z0-9])?";
    static final String NAME_RULE = "must be 1 to 63 lowercase letters, digits, dots, dashes and underscores, "
            + "starting and ending with a letter or digit";
    static final String SHA256 = "[0-9a-f]{64}";

    private ImageRequests() {
    }

    /**
     * A new image, private to the caller's tenant at {@code /images} or public at {@code /ops/images}.
     *
     * @param kernelCmdline only for kernel+initrd images; {@code console=ttyS0} when absent
     */
    record Create(
            @NotNull(message = "is required") @Pattern(regexp = NAME, message = NAME_RULE) String name,
            @NotNull(message = "is required") @Pattern(regexp = NAME, message = NAME_RULE) String os,
            @NotNull(message = "is required")
            @Pattern(regexp = "x86_64", message = "must be x86_64: Freehold runs x86_64 guests only, for now") String architecture,
            @NotNull(message = "is required") ImageFormat format,
            @NotNull(message = "is required") @Size(min = 1, max = 2, message = "must list the image's 1 or 2 parts") List<@Valid Part> parts,
            String kernelCmdline) {
    }

    /** A part as declared: its role and the SHA-256 its upload must match. */
    record Part(
            @NotNull(message = "is required") PartRole role,
            @NotNull(message = "is required")
            @Pattern(regexp = SHA256, message = "must be the file's SHA-256 as 64 lowercase hex digits, as sha256sum prints it") String sha256) {
    }
}
