package io.freehold.controlplane.catalog;

import java.io.IOException;
import java.net.URI;

import io.freehold.controlplane.platform.ids.Base32;
import io.freehold.controlplane.platform.security.Caller;
import io.freehold.controlplane.platform.web.Page;
import io.freehold.controlplane.platform.web.PageRequest;
import io.freehold.controlplane.platform.web.QueryParams;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Images at {@code /images}: a tenant's private ones and, read-only for tenants, the public ones, which
 * operators create at {@code /ops/images} and change at {@code /images/{id}} like any other.
 */
@RestController
class ImageController {

    private static final String IMAGES = "/api/v1/images";

    private final ImageService images;
    private final ImageUploads uploads;

    ImageController(ImageService images, ImageUploads uploads) {
        this.images = images;
        this.uploads = uploads;
    }

    @PostMapping(IMAGES)
    ResponseEntity<Image> create(Caller caller, @RequestParam(required = false) String tenant,
                                 @Valid @RequestBody ImageRequests.Create request) {
        return created(images.create(caller, tenant, request));
    }

    @PostMapping("/api/v1/ops/images")
    ResponseEntity<Image> createPublic(Caller caller, @Valid @RequestBody ImageRequests.Create request) {
        return created(images.createPublic(caller, request));
    }

    @GetMapping(IMAGES)
    Page<Image> list(Caller caller, @RequestParam(required = false) String tenant, @RequestParam(required = false) String name,
                     @RequestParam(required = false) String status, @RequestParam(required = false) String limit,
                     @RequestParam(required = false) String cursor) {
        return images.list(caller, tenant, name, QueryParams.enumValue("status", status, ImageStatus.class),
                PageRequest.parse(limit, cursor, id -> Base32.isId(Image.ID_PREFIX, id)));
    }

    @GetMapping(IMAGES + "/{imageId}")
    Image get(Caller caller, @PathVariable String imageId) {
        return images.get(caller, imageId);
    }

    /**
     * Reads the body from the servlet's own input stream, a buffer at a time: a {@code byte[]} or any other
     * body type would make Spring hold a multi-gigabyte disk in memory. {@code MutationFilter} lets
     * {@code application/octet-stream} PUTs through unread for the same reason.
     */
    @PutMapping(IMAGES + "/{imageId}/parts/{role}")
    Image upload(Caller caller, @PathVariable String imageId, @PathVariable String role, HttpServletRequest request) throws IOException {
        return uploads.put(caller, imageId, role, request.getContentType(), request.getInputStream());
    }

    @DeleteMapping(IMAGES + "/{imageId}")
    ResponseEntity<Void> delete(Caller caller, @PathVariable String imageId) {
        images.delete(caller, imageId);
        return ResponseEntity.noContent().build();
    }

    private static ResponseEntity<Image> created(Image image) {
        return ResponseEntity.created(URI.create(IMAGES + "/" + image.id())).body(image);
    }
}
