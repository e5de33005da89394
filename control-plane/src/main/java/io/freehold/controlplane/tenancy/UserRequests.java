package io.freehold.controlplane.tenancy;

import io.freehold.controlplane.platform.security.Role;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** Request bodies of the user endpoints. Passwords are for the portal; the API uses tokens. */
final class UserRequests {

    /** BCrypt reads at most 72 bytes; longer passwords would be silently truncated. */
    static final int MAX_PASSWORD_BYTES = 72;

    private UserRequests() {
    }

    record Create(
            @NotBlank(message = "is required") @Email(message = "must be an email address")
            @Size(max = 254, message = "must be at most 254 characters") String email,
            @NotBlank(message = "is required") @Size(max = 200, message = "must be at most 200 characters") String name,
            @NotNull(message = "is required") Role role,
            @Size(min = 12, max = MAX_PASSWORD_BYTES, message = "must be 12 to 72 characters") String password) {
    }

    record Update(
            @Pattern(regexp = ".*\\S.*", message = "must not be blank") @Size(max = 200, message = "must be at most 200 characters") String name,
            Role role,
            @Size(min = 12, max = MAX_PASSWORD_BYTES, message = "must be 12 to 72 characters") String password) {
    }
}
