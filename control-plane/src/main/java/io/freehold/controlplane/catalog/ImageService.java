package io.freehold.controlplane.catalog;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import io.freehold.controlplane.platform.audit.AuditTrail;
import io.freehold.controlplane.platform.ids.Base32;
import io.freehold.controlplane.platform.ids.IdGenerator;
import io.freehold.controlplane.platform.security.Caller;
import io.freehold.controlplane.platform.security.Capability;
import io.freehold.controlplane.platform.web.ApiProblem;
import io.freehold.controlplane.platform.web.FieldError;
import io.freehold.controlplane.platform.web.Page;
import io.freehold.controlplane.platform.web.PageRequest;
import io.freehold.controlplane.platform.web.ProblemType;
import io.freehold.controlplane.tenancy.TenantService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Images declared, read and deleted. A tenant's images are private to it; operators make public ones that
 * every tenant may use and only operators change. Uploading the parts is {@link ImageUploads}' business.
 */
@Service
class ImageService {

    private static final Logger log = LoggerFactory.getLogger(ImageService.class);

    /** What direct kernel boot gets when the image says nothing: the serial console, which Freehold logs. */
    static final String DEFAULT_KERNEL_CMDLINE = "console=ttyS0";
    private static final Pattern CMDLINE = Pattern.compile("[\\x20-\\x7e]{1,2048}");

    private final ImageStore images;
    private final ImageFiles files;
    private final ImageReferences references;
    private final TenantService tenants;
    private final AuditTrail audit;
    private final IdGenerator ids;
    private final Clock clock;
    private final TransactionTemplate separately;

    ImageService(ImageStore images, ImageFiles files, ImageReferences references, TenantService tenants, AuditTrail audit,
                 IdGenerator ids, Clock clock, PlatformTransactionManager transactions) {
        this.images = images;
        this.files = files;
        this.references = references;
        this.tenants = tenants;
        this.audit = audit;
        this.ids = ids;
        this.clock = clock;
        this.separately = new TransactionTemplate(transactions);
        this.separately.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    }

    /** A private image of the caller's tenant (an operator names it with {@code ?tenant=}), waiting for its parts. */
    @Transactional
    Image create(Caller caller, String requestedTenant, ImageRequests.Create request) {
        String tenantId = caller.scope(requestedTenant).orElseThrow(() -> ApiProblem.malformed("tenant",
                "is required when an operator creates a tenant's image; public images are created at /api/v1/ops/images"));
        caller.require(Capability.WRITE_TENANT);
        tenants.find(tenantId);
        return insert(caller, tenantId, request);
    }

    /** A public image, which every tenant may use and only operators change. */
    @Transactional
    Image createPublic(Caller caller, ImageRequests.Create request) {
        caller.require(Capability.WRITE_OPS);
        return insert(caller, null, request);
    }

    /**
     * The images the caller may see: a tenant's own and the public ones. An operator sees every image, or
     * with {@code ?tenant=} what that tenant sees.
     */
    Page<Image> list(Caller caller, String requestedTenant, String name, ImageStatus status, PageRequest page) {
        caller.require(Capability.READ_TENANT);
        String tenantId = caller.scope(requestedTenant).orElse(null);
        if (caller.isOps() && tenantId != null) {
            tenants.find(tenantId);
        }
        return Page.of(images.list(tenantId, name, status, page), page, Image::id);
    }

    Image get(Caller caller, String id) {
        caller.require(Capability.READ_TENANT);
        return images.find(inPath(id)).filter(image -> visibleTo(caller, image)).orElseThrow(() -> ApiProblem.notFound("image", id));
    }

    /**
     * Deletes the image unless a live instance names it, checked under the image's row lock, which an instance
     * being created holds {@code for share} ({@link Images#holdUsableBy}). Its files go after the commit, each
     * only if no other image's part names the same content; a failure there leaves a file behind and is logged,
     * since the image is gone either way.
     */
    @Transactional
    void delete(Caller caller, String id) {
        caller.require(Capability.READ_TENANT);
        Image image = images.lock(inPath(id)).filter(found -> visibleTo(caller, found)).orElseThrow(() -> ApiProblem.notFound("image", id));
        requireWrite(caller, image);
        long users = references.liveUsersOfImage(image.id());
        if (users > 0) {
            throw ApiProblem.conflict("image '" + image.name() + "' is used by " + users + " instance" + (users == 1 ? "" : "s")
                    + "; delete them first");
        }
        images.delete(image.id());
        audit.succeeded(caller, image.tenantId(), "image.delete", image.id(), Map.of("name", image.name(), "visibility",
                image.visibility().name().toLowerCase()));
        Set<String> contents = image.parts().stream().map(ImagePart::sha256).collect(Collectors.toCollection(TreeSet::new));
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                contents.forEach(ImageService.this::removeFileIfUnused);
            }
        });
    }

    /** Whether the caller may see the image at all; a tenant's foreign image must look absent. */
    static boolean visibleTo(Caller caller, Image image) {
        return image.isPublic() || caller.sees(image.tenantId());
    }

    /** Public images belong to the operators; a tenant's to those who may change its resources. */
    static void requireWrite(Caller caller, Image image) {
        if (image.isPublic() && !caller.isOps()) {
            throw ApiProblem.forbidden("public images are managed by operators; tenants may only use them");
        }
        caller.require(image.isPublic() ? Capability.WRITE_OPS : Capability.WRITE_TENANT);
    }

    /** A path id that cannot be an image's finds nothing. */
    static String inPath(String id) {
        if (!Base32.isId(Image.ID_PREFIX, id)) {
            throw ApiProblem.notFound("image", id);
        }
        return id;
    }

    private Image insert(Caller caller, String tenantId, ImageRequests.Create request) {
        List<FieldError> errors = new ArrayList<>();
        Set<PartRole> declared = EnumSet.noneOf(PartRole.class);
        for (int i = 0; i < request.parts().size(); i++) {
            ImageRequests.Part part = request.parts().get(i);
            if (part == null) {
                errors.add(new FieldError("parts[" + i + "]", "is required"));
            } else if (!request.format().roles().contains(part.role())) {
                errors.add(new FieldError("parts[" + i + "].role", "a " + request.format().wireName() + " image has no " + part.role().wireName()
                        + " part; it has " + roles(request.format())));
            } else if (!declared.add(part.role())) {
                errors.add(new FieldError("parts[" + i + "].role", "is listed twice"));
            }
        }
        if (errors.isEmpty() && !declared.equals(request.format().roles())) {
            errors.add(new FieldError("parts", "a " + request.format().wireName() + " image has exactly " + roles(request.format())));
        }
        String cmdline = request.kernelCmdline();
        if (request.format() == ImageFormat.KERNEL_INITRD) {
            cmdline = cmdline == null ? DEFAULT_KERNEL_CMDLINE : cmdline;
            if (!CMDLINE.matcher(cmdline).matches()) {
                errors.add(new FieldError("kernelCmdline", "must be 1 to 2048 printable ASCII characters on one line"));
            }
        } else if (cmdline != null) {
            errors.add(new FieldError("kernelCmdline", "only a kernel+initrd image has a kernel command line; a qcow2 disk boots its own"));
        }
        if (!errors.isEmpty()) {
            throw new ApiProblem(ProblemType.VALIDATION_FAILED,
                    errors.stream().map(error -> error.field() + ": " + error.message()).collect(Collectors.joining("; ")), errors);
        }
        Instant now = clock.instant();
        List<ImagePart> parts = request.parts().stream().map(part -> new ImagePart(part.role(), part.sha256(), null, null))
                .sorted((a, b) -> a.role().compareTo(b.role())).toList();
        Image image = new Image(ids.next(Image.ID_PREFIX), tenantId, tenantId == null ? ImageVisibility.PUBLIC : ImageVisibility.PRIVATE,
                request.name(), request.os(), request.architecture(), request.format(), cmdline, ImageStatus.UPLOADING, null, null, parts,
                now, now);
        if (!images.insert(image)) {
            throw ApiProblem.conflict((tenantId == null ? "a public image" : "this tenant has an image") + " named '" + image.name()
                    + "' already");
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("name", image.name());
        details.put("visibility", image.visibility().name().toLowerCase());
        details.put("format", image.format().wireName());
        image.parts().forEach(part -> details.put(part.role().wireName() + "Sha256", part.sha256()));
        audit.succeeded(caller, tenantId, "image.create", image.id(), details);
        return image;
    }

    private void removeFileIfUnused(String sha256) {
        try {
            separately.executeWithoutResult(tx -> {
                images.lockFile(sha256);
                if (!images.anyPartNames(sha256)) {
                    try {
                        files.remove(sha256);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
            });
        } catch (RuntimeException e) {
            log.warn("Image file {} was left in {} after its image was deleted: {}", sha256, files.directory(), e.toString());
        }
    }

    private static String roles(ImageFormat format) {
        return format.roles().stream().map(role -> "a " + role.wireName()).collect(Collectors.joining(" and "));
    }
}
