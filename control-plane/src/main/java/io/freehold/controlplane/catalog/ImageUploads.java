package io.freehold.controlplane.catalog;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.freehold.controlplane.platform.audit.AuditTrail;
import io.freehold.controlplane.platform.security.Caller;
import io.freehold.controlplane.platform.security.Capability;
import io.freehold.controlplane.platform.web.ApiProblem;
import io.freehold.controlplane.platform.web.FieldError;
import io.freehold.controlplane.platform.web.ProblemType;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Receives one part of an image: streams the body into the images directory while hashing it, and when it
 * matches the SHA-256 declared at creation, names the file by it and records the part as uploaded; the image
 * becomes {@code active} with its last part. The body is never held in memory and no database transaction or
 * connection is held while it streams (it may take minutes): the request is checked in one short
 * transaction before, and recorded in another after. A mismatch or a broken-off body leaves the part as it
 * was, so the same PUT can simply be repeated. Uploading a part that already arrived is verified the same
 * way and changes nothing.
 */
@Service
class ImageUploads {

    /** The only content type the part endpoint reads, and the one {@code MutationFilter} lets stream. */
    static final String OCTET_STREAM = "application/octet-stream";

    private final ImageStore images;
    private final ImageFiles files;
    private final AuditTrail audit;
    private final Clock clock;
    private final TransactionTemplate transaction;

    ImageUploads(ImageStore images, ImageFiles files, AuditTrail audit, Clock clock, PlatformTransactionManager transactions) {
        this.images = images;
        this.files = files;
        this.audit = audit;
        this.clock = clock;
        this.transaction = new TransactionTemplate(transactions);
    }

    /** What finishing an upload came to: the image as it is now, or why its disk cannot be used (it is failed now). */
    private record Outcome(Image image, String refusal) {
    }

    Image put(Caller caller, String imageId, String roleName, String contentType, InputStream body) {
        Image image = transaction.execute(tx -> writable(caller, imageId));
        PartRole role = PartRole.fromWireName(roleName).filter(candidate -> image.part(candidate).isPresent())
                .orElseThrow(() -> new ApiProblem(ProblemType.NOT_FOUND, "image " + imageId + " has no part '" + roleName + "'; a "
                        + image.format().wireName() + " image has " + String.join(" and ",
                        image.parts().stream().map(part -> part.role().wireName()).toList())));
        if (contentType == null || !contentType.toLowerCase().startsWith(OCTET_STREAM)) {
            throw new ApiProblem(ProblemType.UNSUPPORTED_MEDIA_TYPE, "send the part's bytes as " + OCTET_STREAM);
        }
        if (image.status() == ImageStatus.FAILED) {
            throw failed(image);
        }
        ImagePart part = image.part(role).orElseThrow();
        ImageFiles.Received received = receive(body, image.id() + "-" + role.wireName());
        try {
            if (!received.sha256().equals(part.sha256())) {
                throw new ApiProblem(ProblemType.CHECKSUM_MISMATCH, "the " + role.wireName() + " of image " + image.id()
                        + " was declared with SHA-256 " + part.sha256() + " but the " + received.sizeBytes() + " bytes received hash to "
                        + received.sha256() + "; nothing was kept, PUT the right file again",
                        List.of(new FieldError("body", "expected SHA-256 " + part.sha256() + ", got " + received.sha256())));
            }
            Outcome outcome = transaction.execute(tx -> finish(caller, image.id(), role, received));
            if (outcome.refusal() != null) {
                throw new ApiProblem(ProblemType.VALIDATION_FAILED, "the disk cannot be used: " + outcome.refusal()
                        + "; image " + image.id() + " is failed now: delete it and create it again with a usable disk",
                        List.of(new FieldError("body", outcome.refusal())));
            }
            return outcome.image();
        } finally {
            // Installing moved or dropped it already; in every other case it must not outlive the request.
            files.discard(received);
        }
    }

    /** The image, if the caller may upload into it; 404 when it may not see it. */
    private Image writable(Caller caller, String imageId) {
        caller.require(Capability.READ_TENANT);
        Image image = images.find(ImageService.inPath(imageId)).filter(found -> ImageService.visibleTo(caller, found))
                .orElseThrow(() -> ApiProblem.notFound("image", imageId));
        ImageService.requireWrite(caller, image);
        return image;
    }

    private ImageFiles.Received receive(InputStream body, String label) {
        try {
            return files.receive(body, label);
        } catch (ImageFiles.BodyBrokeOff e) {
            throw ApiProblem.malformed("body", "the upload broke off after " + e.receivedBytes + " bytes (" + e.getMessage()
                    + "); nothing was kept, PUT the part again");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write an upload into the images directory " + files.directory(), e);
        }
    }

    /**
     * Records a matched part, under the file's lock (so no delete removes the content meanwhile) and the
     * image's (so two parts finishing at once see each other and exactly one makes the image active).
     */
    private Outcome finish(Caller caller, String imageId, PartRole role, ImageFiles.Received received) {
        images.lockFile(received.sha256());
        Image image = images.lock(imageId).orElseThrow(() -> ApiProblem.notFound("image", imageId));
        if (image.part(role).orElseThrow().uploaded()) {
            return new Outcome(image, null);
        }
        if (image.status() == ImageStatus.FAILED) {
            throw failed(image);
        }
        Instant now = clock.instant();
        Optional<String> refusal = role == PartRole.DISK ? Qcow2Header.refusal(received.head()) : Optional.empty();
        if (refusal.isPresent()) {
            images.setStatus(imageId, ImageStatus.FAILED, null, refusal.get(), now);
            audit.succeeded(caller, image.tenantId(), "image.fail", imageId, Map.of("role", role.wireName(), "reason", refusal.get()));
            return new Outcome(null, refusal.get());
        }
        try {
            files.install(received);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot name the upload " + received.temporary() + " by its SHA-256", e);
        }
        images.markUploaded(imageId, role, received.sizeBytes(), now);
        Image updated = images.find(imageId).orElseThrow();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("role", role.wireName());
        details.put("sha256", received.sha256());
        details.put("sizeBytes", received.sizeBytes());
        if (updated.parts().stream().allMatch(ImagePart::uploaded)) {
            long size = updated.parts().stream().mapToLong(ImagePart::sizeBytes).sum();
            images.setStatus(imageId, ImageStatus.ACTIVE, size, null, now);
            updated = images.find(imageId).orElseThrow();
            details.put("status", ImageStatus.ACTIVE.wireName());
        }
        audit.succeeded(caller, image.tenantId(), "image.upload", imageId, details);
        return new Outcome(updated, null);
    }

    private static ApiProblem failed(Image image) {
        return ApiProblem.conflict("image " + image.id() + " is failed (" + image.failureReason() + "); delete it and create it again");
    }
}
