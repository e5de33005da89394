package io.freehold.controlplane.compute;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import io.freehold.controlplane.catalog.Flavor;
import io.freehold.controlplane.catalog.Flavors;
import io.freehold.controlplane.catalog.Image;
import io.freehold.controlplane.catalog.Images;
import io.freehold.controlplane.compute.decision.InstanceDecisions;
import io.freehold.controlplane.compute.decision.InstancePhase;
import io.freehold.controlplane.compute.decision.InstanceStatus;
import io.freehold.controlplane.compute.decision.PowerAction;
import io.freehold.controlplane.compute.decision.PowerState;
import io.freehold.controlplane.compute.decision.ResizeDecisions;
import io.freehold.controlplane.compute.decision.ResizeDecisions.Shape;
import io.freehold.controlplane.inventory.Labels;
import io.freehold.controlplane.inventory.decision.Capacity.Resources;
import io.freehold.controlplane.metering.FactTime;
import io.freehold.controlplane.metering.LifecycleEventKind;
import io.freehold.controlplane.metering.LifecycleEventView;
import io.freehold.controlplane.metering.LifecycleFact;
import io.freehold.controlplane.metering.LifecycleLog;
import io.freehold.controlplane.platform.audit.AuditTrail;
import io.freehold.controlplane.platform.ids.Base32;
import io.freehold.controlplane.platform.ids.IdGenerator;
import io.freehold.controlplane.platform.queue.WorkQueue;
import io.freehold.controlplane.platform.security.Caller;
import io.freehold.controlplane.platform.security.Capability;
import io.freehold.controlplane.platform.web.ApiProblem;
import io.freehold.controlplane.platform.web.FieldError;
import io.freehold.controlplane.platform.web.Page;
import io.freehold.controlplane.platform.web.PageRequest;
import io.freehold.controlplane.platform.web.ProblemType;
import io.freehold.controlplane.scheduling.PlacementGroups;
import io.freehold.controlplane.scheduling.Placements;
import io.freehold.controlplane.tenancy.TenantService;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * A tenant's instances: created (PENDING, for the scheduling pass to place), read, started, stopped,
 * rebooted, resized and deleted. Every change is a spec change or a status the decisions in {@code decision}
 * chose, written with the instance's key queued for its reconciler, in the request's transaction.
 */
@Service
class InstanceService {

    /** The work queue's kind for instances; the key is the instance id. */
    static final String QUEUE_KIND = "instance";

    private static final Pattern SSH_KEY = Pattern.compile(
            "(ssh-(rsa|ed25519|dss)|ecdsa-sha2-nistp(256|384|521)|sk-(ssh-ed25519|ecdsa-sha2-nistp256)@openssh\\.com)"
                    + " [A-Za-z0-9+/]{16,16384}={0,3}( [^\\r\\n]{0,1024})?");

    private final InstanceStore instances;
    private final Flavors flavors;
    private final Images images;
    private final PlacementGroups groups;
    private final Placements placements;
    private final WorkQueue queue;
    private final TenantService tenants;
    private final AuditTrail audit;
    private final LifecycleLog lifecycle;
    private final CreateAdmission admission;
    private final IdGenerator ids;
    private final Clock clock;

    InstanceService(InstanceStore instances, Flavors flavors, Images images, PlacementGroups groups, Placements placements,
                    WorkQueue queue, TenantService tenants, AuditTrail audit, LifecycleLog lifecycle, CreateAdmission admission,
                    IdGenerator ids, Clock clock) {
        this.instances = instances;
        this.flavors = flavors;
        this.images = images;
        this.groups = groups;
        this.placements = placements;
        this.queue = queue;
        this.tenants = tenants;
        this.audit = audit;
        this.lifecycle = lifecycle;
        this.admission = admission;
        this.ids = ids;
        this.clock = clock;
    }

    /**
     * Accepts a new instance: PENDING, generation 1, powered on once it runs, with the flavor's sizes and
     * the id of the image its ref names. The flavor, the image and the placement group are held {@code for
     * share} until the commit, so none can be deleted under the new reference. Quota and capacity are the scheduling pass's business.
     */
    @Transactional
    Instance create(Caller caller, String requestedTenant, InstanceRequests.Create request) {
        String tenantId = caller.scope(requestedTenant)
                .orElseThrow(() -> ApiProblem.malformed("tenant", "is required when an operator creates an instance"));
        caller.require(Capability.WRITE_TENANT);
        tenants.find(tenantId);
        List<FieldError> errors = new ArrayList<>();
        Optional<Flavor> flavor = flavors.holdUsableBy(tenantId, request.flavorId());
        if (flavor.isEmpty()) {
            errors.add(new FieldError("flavorId", "no flavor " + request.flavorId() + " this tenant may use; GET /api/v1/flavors lists them"));
        }
        Optional<Image> image = images.holdUsableBy(tenantId, request.imageRef());
        if (image.isEmpty()) {
            errors.add(new FieldError("imageRef", "no active image " + request.imageRef()
                    + " this tenant may use (an id or a name); GET /api/v1/images lists them"));
        }
        List<String> sshKeys = request.sshKeys() == null ? List.of() : request.sshKeys();
        for (int i = 0; i < sshKeys.size(); i++) {
            if (sshKeys.get(i) == null || !SSH_KEY.matcher(sshKeys.get(i)).matches()) {
                errors.add(new FieldError("sshKeys[" + i + "]", "must be one OpenSSH public key line: type, base64 key, optional comment"));
            }
        }
        if (request.userData() != null && request.userData().getBytes(StandardCharsets.UTF_8).length > InstanceRequests.MAX_USER_DATA_BYTES) {
            errors.add(new FieldError("userData", "must be at most " + InstanceRequests.MAX_USER_DATA_BYTES + " bytes of UTF-8"));
        }
        if (request.placementGroupId() != null && !groups.holdOwnedBy(tenantId, request.placementGroupId())) {
            errors.add(new FieldError("placementGroupId", "no placement group " + request.placementGroupId()));
        }
        Map<String, String> labels = Map.of();
        try {
            labels = Labels.checked(request.labels());
        } catch (ApiProblem problem) {
            errors.addAll(problem.errors());
        }
        if (!errors.isEmpty()) {
            throw new ApiProblem(ProblemType.VALIDATION_FAILED,
                    errors.stream().map(error -> error.field() + ": " + error.message()).collect(Collectors.joining("; ")), errors);
        }
        Instant now = clock.instant();
        // After the field checks, which cost nothing, and before the first write: the admission may rate the month.
        admission.admit(tenantId, now);
        Flavor shape = flavor.orElseThrow();
        InstanceSpec spec = new InstanceSpec(shape.id(), shape.vcpus(), shape.memoryMib(), shape.rootDiskGib(), image.orElseThrow().id(), sshKeys,
                request.userData(), request.placementGroupId(), 1, PowerState.RUNNING, 0);
        Instance instance = new Instance(ids.next(Instance.ID_PREFIX), tenantId, request.name(), labels, spec, InstanceStatus.pending(),
                now, now, null);
        if (!instances.insert(instance)) {
            throw ApiProblem.conflict("an instance named '" + request.name() + "' already exists");
        }
        queue.enqueue(QUEUE_KIND, instance.id(), now);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("name", instance.name());
        details.put("flavorId", shape.id());
        details.put("imageRef", spec.imageRef());
        if (spec.placementGroupId() != null) {
            details.put("placementGroupId", spec.placementGroupId());
        }
        audit.succeeded(caller, tenantId, "instance.create", instance.id(), details);
        return instance;
    }

    Page<Instance> list(Caller caller, String requestedTenant, InstancePhase phase, String name, Map<String, String> labels, PageRequest page) {
        caller.require(Capability.READ_TENANT);
        InstanceStore.Filter filter = new InstanceStore.Filter(caller.scope(requestedTenant).orElse(null), phase, name, labels);
        return Page.of(instances.list(filter, page), page, Instance::id).map(Instance::summary);
    }

    Instance get(Caller caller, String id) {
        caller.require(Capability.READ_TENANT);
        return visible(caller, id);
    }

    /** What its host observed, and the API's delete: the facts metering counts. */
    @Transactional(readOnly = true)
    Page<LifecycleEventView> lifecycleEvents(Caller caller, String id, PageRequest page) {
        caller.require(Capability.READ_TENANT);
        return lifecycle.history(visible(caller, id).id(), page);
    }

    /** Start, stop or reboot: a spec change that bumps the generation; repeating a start or a stop changes nothing. */
    @Transactional
    Instance act(Caller caller, String id, PowerAction action) {
        Instance current = lockedForChange(caller, id);
        InstanceDecisions.ActionOutcome outcome = InstanceDecisions.act(current.spec().power(), current.status().phase(), action);
        if (outcome.refusal().isPresent()) {
            throw ApiProblem.conflict("cannot " + action.verb() + " instance '" + current.name() + "': " + outcome.refusal().get());
        }
        if (!outcome.changed()) {
            return current;
        }
        Instant now = clock.instant();
        InstanceSpec spec = current.spec().with(outcome.spec());
        instances.updateSpec(current.id(), spec, now);
        audit.succeeded(caller, current.tenantId(), "instance." + action.verb(), current.id(),
                Map.of("name", current.name(), "generation", spec.generation()));
        return new Instance(current.id(), current.tenantId(), current.name(), current.labels(), spec, current.status(), current.createdAt(), now,
                null);
    }

    /**
     * Resizes a stopped instance to another flavor where it is ({@link ResizeDecisions}): its allocation on
     * its host and the tenant's quota usage change with the spec, in this transaction, or nothing changes
     * ({@link Placements#resize}); the host's agent applies the new size with the new generation. The
     * flavor is held {@code for share} as at create. Resizing to the instance's own flavor changes nothing.
     */
    @Transactional
    Instance resize(Caller caller, String id, InstanceRequests.Resize request) {
        Instance current = lockedForChange(caller, id);
        Flavor flavor = flavors.holdUsableBy(current.tenantId(), request.flavorId()).orElseThrow(() -> ApiProblem.invalid("flavorId",
                "no flavor " + request.flavorId() + " this tenant may use; GET /api/v1/flavors lists them"));
        Shape from = current.spec().shape();
        Shape to = new Shape(flavor.id(), flavor.vcpus(), flavor.memoryMib(), flavor.rootDiskGib());
        ResizeDecisions.Outcome outcome = ResizeDecisions.resize(current.spec().power(), current.status().phase(), from, to);
        if (outcome.refusal().isPresent()) {
            ResizeDecisions.Refusal refusal = outcome.refusal().get();
            throw refusal.kind() == ResizeDecisions.Refusal.Kind.UNSUITABLE_FLAVOR
                    ? ApiProblem.invalid("flavorId", "flavor " + flavor.name() + ": " + refusal.message())
                    : ApiProblem.conflict("cannot resize instance '" + current.name() + "': " + refusal.message());
        }
        if (!outcome.changed()) {
            return current;
        }
        try {
            placements.resize(current.consumerRef(), new Resources(to.vcpus(), to.memoryMib(), to.rootDiskGib()));
        } catch (ApiProblem refused) {
            throw new ApiProblem(refused.type(), "cannot resize instance '" + current.name() + "' to " + flavor.name() + ": "
                    + refused.getMessage(), refused.errors());
        }
        Instant now = clock.instant();
        InstanceSpec spec = current.spec().with(to, outcome.generation());
        InstanceStatus status = ResizeDecisions.resizing(current.status(), flavor.name(), from, to, now);
        instances.updateSpec(current.id(), spec, now);
        instances.updateStatus(current.id(), status, now);
        audit.succeeded(caller, current.tenantId(), "instance.resize", current.id(), Map.of("name", current.name(),
                "fromFlavorId", from.flavorId(), "flavorId", to.flavorId(), "generation", spec.generation()));
        return new Instance(current.id(), current.tenantId(), current.name(), current.labels(), spec, status, current.createdAt(), now, null);
    }

    /**
     * Releases the instance's allocation (and so its quota) at once and marks it DELETING. One that never
     * reached a host is removed right away; a placed one stays DELETING until its host's agent confirms
     * the guest is gone (provisioning's step), and metering's log records the delete now, since billing stops
     * with the tenant's request rather than with the host's confirmation. Deleting again changes nothing.
     */
    @Transactional
    Instance delete(Caller caller, String id) {
        Instance current = lockedForChange(caller, id);
        if (current.status().phase() == InstancePhase.DELETING) {
            return current;
        }
        Instant now = clock.instant();
        placements.release(current.consumerRef());
        InstanceStatus status = new InstanceStatus(InstancePhase.DELETING, current.status().hostId(), current.status().observedGeneration(),
                current.status().conditions());
        instances.updateStatus(current.id(), status, now);
        boolean removed = InstanceDecisions.onDelete(current.status()) == InstanceDecisions.Deletion.REMOVE_NOW;
        if (removed) {
            instances.markDeleted(current.id(), now);
        } else {
            InstanceSpec spec = current.spec();
            lifecycle.deletedByApi(new LifecycleFact(current.id(), current.tenantId(), LifecycleEventKind.DELETED, FactTime.wholeSeconds(now),
                    spec.generation(), new LifecycleFact.Shape(spec.vcpus(), spec.memoryMib(), spec.rootDiskGib())), now);
        }
        audit.succeeded(caller, current.tenantId(), "instance.delete", current.id(), Map.of("name", current.name(), "removed", removed));
        return new Instance(current.id(), current.tenantId(), current.name(), current.labels(), current.spec(), status, current.createdAt(), now,
                removed ? now : null);
    }

    /**
     * The instance, locked for a change by a caller that may make it. Its key is queued before the lock:
     * a scheduling pass holds the key's queue row and then locks the instance, so taking them in the other
     * order could wait in a circle (WorkQueue).
     */
    private Instance lockedForChange(Caller caller, String id) {
        Instance seen = visible(caller, id);
        caller.require(Capability.WRITE_TENANT);
        queue.enqueue(QUEUE_KIND, seen.id(), clock.instant());
        return instances.lock(seen.id()).orElseThrow(() -> ApiProblem.notFound("instance", id));
    }

    /** The live instance, when the caller may see it; a foreign tenant's looks absent. */
    private Instance visible(Caller caller, String id) {
        if (!Base32.isId(Instance.ID_PREFIX, id)) {
            throw ApiProblem.notFound("instance", id);
        }
        return instances.find(id).filter(instance -> caller.sees(instance.tenantId()))
                .orElseThrow(() -> ApiProblem.notFound("instance", id));
    }
}
