package io.freehold.controlplane.compute;

import java.net.URI;
import java.util.List;

import io.freehold.controlplane.compute.decision.InstancePhase;
import io.freehold.controlplane.compute.decision.PowerAction;
import io.freehold.controlplane.inventory.Labels;
import io.freehold.controlplane.platform.ids.Base32;
import io.freehold.controlplane.platform.security.Caller;
import io.freehold.controlplane.metering.LifecycleEventView;
import io.freehold.controlplane.metering.LifecycleLog;
import io.freehold.controlplane.platform.web.Page;
import io.freehold.controlplane.platform.web.PageRequest;
import io.freehold.controlplane.platform.web.QueryParams;
import jakarta.validation.Valid;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * A tenant's instances at {@code /instances}. Creates, actions (resize among them) and deletes answer 202:
 * they change the spec, and the status follows as the reconciler acts on it.
 */
@RestController
@RequestMapping("/api/v1/instances")
class InstanceController {

    private final InstanceService instances;
    private final InstanceConsoles consoles;

    InstanceController(InstanceService instances, InstanceConsoles consoles) {
        this.instances = instances;
        this.consoles = consoles;
    }

    @PostMapping
    ResponseEntity<Instance> create(Caller caller, @RequestParam(required = false) String tenant,
                                    @Valid @RequestBody InstanceRequests.Create request) {
        Instance instance = instances.create(caller, tenant, request);
        return ResponseEntity.accepted().location(URI.create("/api/v1/instances/" + instance.id())).body(instance);
    }

    @GetMapping
    Page<Instance> list(Caller caller, @RequestParam(required = false) String tenant, @RequestParam(required = false) String phase,
                        @RequestParam(required = false) String name, @RequestParam(required = false) List<String> label,
                        @RequestParam(required = false) String limit, @RequestParam(required = false) String cursor) {
        return instances.list(caller, tenant, QueryParams.enumValue("phase", phase, InstancePhase.class), name, Labels.filter(label),
                PageRequest.parse(limit, cursor, id -> Base32.isId(Instance.ID_PREFIX, id)));
    }

    @GetMapping("/{instanceId}")
    Instance get(Caller caller, @PathVariable String instanceId) {
        return instances.get(caller, instanceId);
    }

    @GetMapping("/{instanceId}/lifecycle-events")
    Page<LifecycleEventView> lifecycleEvents(Caller caller, @PathVariable String instanceId, @RequestParam(required = false) String limit,
                                             @RequestParam(required = false) String cursor) {
        return instances.lifecycleEvents(caller, instanceId, PageRequest.parse(limit, cursor, LifecycleLog::isEventId));
    }

    /** Waits for the instance's host to answer, up to the console timeout (5 s by default). */
    @GetMapping("/{instanceId}/console")
    InstanceConsole console(Caller caller, @PathVariable String instanceId, @RequestParam(required = false) String maxBytes) {
        return consoles.read(caller, instanceId, maxBytes);
    }

    @PostMapping("/{instanceId}/start")
    ResponseEntity<Instance> start(Caller caller, @PathVariable String instanceId) {
        return ResponseEntity.accepted().body(instances.act(caller, instanceId, PowerAction.START));
    }

    @PostMapping("/{instanceId}/stop")
    ResponseEntity<Instance> stop(Caller caller, @PathVariable String instanceId) {
        return ResponseEntity.accepted().body(instances.act(caller, instanceId, PowerAction.STOP));
    }

    @PostMapping("/{instanceId}/reboot")
    ResponseEntity<Instance> reboot(Caller caller, @PathVariable String instanceId) {
        return ResponseEntity.accepted().body(instances.act(caller, instanceId, PowerAction.REBOOT));
    }

    @PostMapping("/{instanceId}/resize")
    ResponseEntity<Instance> resize(Caller caller, @PathVariable String instanceId, @Valid @RequestBody InstanceRequests.Resize request) {
        return ResponseEntity.accepted().body(instances.resize(caller, instanceId, request));
    }

    @DeleteMapping("/{instanceId}")
    ResponseEntity<Instance> delete(Caller caller, @PathVariable String instanceId) {
        return ResponseEntity.accepted().body(instances.delete(caller, instanceId));
    }
}
