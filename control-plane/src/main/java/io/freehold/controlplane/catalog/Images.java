package io.freehold.controlplane.catalog;

import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Pattern;

import io.freehold.controlplane.platform.ids.Base32;
import org.springframework.stereotype.Service;

/**
 * Images as other features use them: instances name one, and the agent link streams its parts' files to
 * hosts. A tenant may use an image that is {@code active} and public or its own. By name, the tenant's own
 * image wins over a public one of the same name. {@link #usableBy} reads without locks; a caller about to
 * refer to the image uses {@link #holdUsableBy}, which keeps it from being deleted until the caller commits.
 */
@Service
public class Images {

    private static final Pattern NAME = Pattern.compile(ImageRequests.NAME);

    private final ImageStore images;
    private final ImageFiles files;

    Images(ImageStore images, ImageFiles files) {
        this.images = images;
        this.files = files;
    }

    /**
     * The active image {@code tenantId} may use, named by its id ({@code img-…}) or its name.
     *
     * @return empty when there is no such image, it is another tenant's, or it is not active yet (or failed);
     *         callers answer all alike, so a tenant cannot learn of other tenants' images
     */
    public Optional<Image> usableBy(String tenantId, String idOrName) {
        return find(tenantId, idOrName, false);
    }

    /**
     * Like {@link #usableBy}, and takes the image's row {@code for share} until the transaction ends, so that
     * a concurrent delete waits and then sees the caller's reference ({@link ImageReferences}).
     */
    public Optional<Image> holdUsableBy(String tenantId, String idOrName) {
        return find(tenantId, idOrName, true);
    }

    /**
     * The file that holds a part with this SHA-256, in the images directory every replica mounts. It exists
     * once a part with that SHA-256 was uploaded ({@link ImagePart#uploaded()}) and holds exactly those bytes.
     *
     * @throws IllegalArgumentException when {@code sha256} is not 64 lowercase hex digits, so that no caller
     *         can be led outside the directory
     */
    public Path partFile(String sha256) {
        return files.path(sha256);
    }

    private Optional<Image> find(String tenantId, String idOrName, boolean hold) {
        if (Base32.isId(Image.ID_PREFIX, idOrName)) {
            return images.findUsableBy(tenantId, idOrName, true, hold);
        }
        if (idOrName == null || !NAME.matcher(idOrName).matches()) {
            return Optional.empty();
        }
        return images.findUsableBy(tenantId, idOrName, false, hold);
    }
}
