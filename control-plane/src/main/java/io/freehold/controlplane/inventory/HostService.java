package io.freehold.controlplane.inventory;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.freehold.controlplane.platform.audit.AuditTrail;
import io.freehold.controlplane.platform.ids.IdGenerator;
import io.freehold.controlplane.platform.security.Caller;
import io.freehold.controlplane.platform.security.Capability;
import io.freehold.controlplane.platform.web.ApiProblem;
import io.freehold.controlplane.platform.web.Page;
import io.freehold.controlplane.platform.web.PageRequest;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Hosts as ops rack and describe them: pre-registered slots, moves, names, labels, overcommit ratios and
 * reservations. A change to what a host can hold or to where placement may put work on it (ratios,
 * reservations, labels, rack) bumps its {@code version}, which tells every replica's placement view to
 * read the host again; a new name or note does not.
 */
@Service
class HostService {

    private final HostStore hosts;
    private final RackStore racks;
    private final HostSlots slots;
    private final HostLifecycleStore lifecycle;
    private final AuditTrail audit;
    private final IdGenerator ids;
    private final Clock clock;
    private final InventoryProperties.HostDefaults defaults;
    private final HostAllocations allocations;

    HostService(HostStore hosts, RackStore racks, HostSlots slots, HostLifecycleStore lifecycle, AuditTrail audit, IdGenerator ids,
                Clock clock, InventoryProperties properties, HostAllocations allocations) {
        this.hosts = hosts;
        this.racks = racks;
        this.slots = slots;
        this.lifecycle = lifecycle;
        this.audit = audit;
        this.ids = ids;
        this.clock = clock;
        this.defaults = properties.defaults();
        this.allocations = allocations;
    }

    /** Pre-registers a slot: the host exists, REGISTERED, until a server joins with a token bound to it. */
    @Transactional
    Host create(Caller caller, HostRequests.Create request) {
        caller.require(Capability.WRITE_OPS);
        Map<String, String> labels = Labels.checked(request.labels());
        Rack rack = lockRack(request.rackId());
        int heightU = request.heightU() == null ? 1 : request.heightU();
        slots.check(rack, request.positionU(), heightU, null);
        Instant now = clock.instant();
        Host host = new Host(ids.next(HostRegistry.HOST_ID_PREFIX), rack.siteId(), rack.id(), request.positionU(), heightU,
                OptionalText.of(request.hostname()), OptionalText.of(request.serial()),
                OptionalText.of(request.assetTag()), request.notes() == null ? "" : request.notes().strip(), labels,
                ratio(request.cpuRatio(), defaults.cpuRatio()), ratio(request.memoryRatio(), defaults.memoryRatio()),
                ratio(request.diskRatio(), defaults.diskRatio()),
                request.reservedVcpus() == null ? defaults.reservedVcpus() : request.reservedVcpus(),
                request.reservedMemoryMib() == null ? defaults.reservedMemoryMib() : request.reservedMemoryMib(),
                request.reservedDiskGib() == null ? defaults.reservedDiskGib() : request.reservedDiskGib(),
                HostState.REGISTERED, false, 0, null, null, null, null, now, now);
        hosts.insert(host);
        lifecycle.appendEvent(ids.next(HostEvent.ID_PREFIX), host.id(), "registered", null, HostState.REGISTERED,
                "slot created by " + caller.userId() + " at units " + slot(host) + " of rack '" + rack.name() + "'", now);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("rackId", rack.id());
        details.put("positionU", host.positionU());
        details.put("heightU", heightU);
        if (host.hostname() != null) {
            details.put("hostname", host.hostname());
        }
        audit.succeeded(caller, null, "host.create", host.id(), details);
        return hosts.find(host.id()).orElseThrow();
    }

    Page<Host> list(Caller caller, HostStore.Filter filter, PageRequest page) {
        caller.require(Capability.READ_OPS);
        return Page.of(hosts.list(filter, page), page, Host::id);
    }

    Host get(Caller caller, String id) {
        caller.require(Capability.READ_OPS);
        return find(id);
    }

    @Transactional
    Host update(Caller caller, String id, HostRequests.Update request) {
        caller.require(Capability.WRITE_OPS);
        Host current = lock(id);
        Map<String, String> labels = request.labels() == null ? current.labels() : Labels.checked(request.labels());
        String siteId = current.siteId();
        String rackId = current.rackId();
        Integer positionU = current.positionU();
        int heightU = request.heightU() == null ? current.heightU() : request.heightU();
        // A new height alone moves nothing for a host that has no rack.
        if (request.rackId() != null || request.positionU() != null || request.heightU() != null && current.rackId() != null) {
            Rack rack = targetRack(current, request.rackId());
            positionU = request.positionU() != null ? request.positionU() : rack.id().equals(current.rackId()) ? current.positionU() : null;
            if (positionU == null) {
                throw ApiProblem.invalid("positionU", "is required to put the host in another rack");
            }
            slots.check(rack, positionU, heightU, id);
            siteId = rack.siteId();
            rackId = rack.id();
        }
        BigDecimal cpuRatio = request.cpuRatio() == null ? current.cpuRatio() : request.cpuRatio();
        BigDecimal memoryRatio = request.memoryRatio() == null ? current.memoryRatio() : request.memoryRatio();
        BigDecimal diskRatio = request.diskRatio() == null ? current.diskRatio() : request.diskRatio();
        int reservedVcpus = request.reservedVcpus() == null ? current.reservedVcpus() : request.reservedVcpus();
        long reservedMemoryMib = request.reservedMemoryMib() == null ? current.reservedMemoryMib() : request.reservedMemoryMib();
        long reservedDiskGib = request.reservedDiskGib() == null ? current.reservedDiskGib() : request.reservedDiskGib();
        boolean placementChanged = !labels.equals(current.labels()) || !Objects.equals(rackId, current.rackId())
                || cpuRatio.compareTo(current.cpuRatio()) != 0 || memoryRatio.compareTo(current.memoryRatio()) != 0
                || diskRatio.compareTo(current.diskRatio()) != 0 || reservedVcpus != current.reservedVcpus()
                || reservedMemoryMib != current.reservedMemoryMib() || reservedDiskGib != current.reservedDiskGib();
        Host updated = new Host(id, siteId, rackId, positionU, heightU,
                OptionalText.replaced(request.hostname(), current.hostname()),
                OptionalText.replaced(request.serial(), current.serial()),
                OptionalText.replaced(request.assetTag(), current.assetTag()),
                request.notes() == null ? current.notes() : request.notes().strip(), labels,
                cpuRatio, memoryRatio, diskRatio, reservedVcpus, reservedMemoryMib, reservedDiskGib,
                current.state(), current.cordoned(), placementChanged ? current.version() + 1 : current.version(),
                current.facts(), current.utilisation(), current.joinedAt(), current.lastHeartbeatAt(), current.createdAt(), clock.instant());
        hosts.update(updated);
        audit.succeeded(caller, null, "host.update", id, Map.of("fields", changedFields(request), "version", updated.version()));
        return hosts.find(id).orElseThrow();
    }

    /** Deletes a host that is not READY and holds no allocation, with its events and join tokens. */
    @Transactional
    void delete(Caller caller, String id) {
        caller.require(Capability.WRITE_OPS);
        Host host = lock(id);
        if (host.state() == HostState.READY) {
            throw ApiProblem.conflict("host " + host.displayName() + " is READY; revoke it first, or wait until it is UNREACHABLE");
        }
        int consumers = allocations.consumersOn(id);
        if (consumers > 0) {
            throw ApiProblem.conflict("host " + host.displayName() + " still holds " + consumers + " allocation"
                    + (consumers == 1 ? "" : "s") + "; delete or move its guests first");
        }
        hosts.delete(id);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("state", host.state().name());
        if (host.hostname() != null) {
            details.put("hostname", host.hostname());
        }
        audit.succeeded(caller, null, "host.delete", id, details);
    }

    Page<HostEvent> events(Caller caller, String id, PageRequest page) {
        caller.require(Capability.READ_OPS);
        find(id);
        return Page.of(hosts.events(id, page), page, HostEvent::id);
    }

    /** The host; 404 when there is none. */
    Host find(String id) {
        return hosts.find(InventoryIds.inPath(HostRegistry.HOST_ID_PREFIX, "host", id)).orElseThrow(() -> ApiProblem.notFound("host", id));
    }

    Host lock(String id) {
        return hosts.lock(InventoryIds.inPath(HostRegistry.HOST_ID_PREFIX, "host", id)).orElseThrow(() -> ApiProblem.notFound("host", id));
    }

    private Rack targetRack(Host current, String requestedRackId) {
        if (requestedRackId == null && current.rackId() == null) {
            throw ApiProblem.invalid("rackId", "is required to rack a host that has no rack yet");
        }
        return lockRack(requestedRackId == null ? current.rackId() : requestedRackId);
    }

    /** Locks the rack whose units are about to be claimed; see {@link HostSlots}. */
    private Rack lockRack(String rackId) {
        String id = InventoryIds.inBody(Rack.ID_PREFIX, "rackId", "rack", rackId);
        return racks.lock(id).orElseThrow(() -> ApiProblem.invalid("rackId", "no rack " + rackId));
    }

    private static BigDecimal ratio(BigDecimal given, double fallback) {
        return given == null ? BigDecimal.valueOf(fallback) : given;
    }

    private static String slot(Host host) {
        return host.positionU() + "–" + (host.positionU() + host.heightU() - 1);
    }

    private static List<String> changedFields(HostRequests.Update request) {
        List<String> fields = new ArrayList<>();
        Map<String, Object> given = new LinkedHashMap<>();
        given.put("rackId", request.rackId());
        given.put("positionU", request.positionU());
        given.put("heightU", request.heightU());
        given.put("hostname", request.hostname());
        given.put("serial", request.serial());
        given.put("assetTag", request.assetTag());
        given.put("notes", request.notes());
        given.put("labels", request.labels());
        given.put("cpuRatio", request.cpuRatio());
        given.put("memoryRatio", request.memoryRatio());
        given.put("diskRatio", request.diskRatio());
        given.put("reservedVcpus", request.reservedVcpus());
        given.put("reservedMemoryMib", request.reservedMemoryMib());
        given.put("reservedDiskGib", request.reservedDiskGib());
        given.forEach((field, value) -> {
            if (value != null) {
                fields.add(field);
            }
        });
        return fields;
    }
}
