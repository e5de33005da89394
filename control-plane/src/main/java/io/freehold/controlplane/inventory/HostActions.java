package io.freehold.controlplane.inventory;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import io.freehold.controlplane.inventory.decision.HostLifecycle;
import io.freehold.controlplane.platform.audit.AuditTrail;
import io.freehold.controlplane.platform.ids.IdGenerator;
import io.freehold.controlplane.platform.security.Caller;
import io.freehold.controlplane.platform.security.Capability;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * What ops do to a host rather than say about it: cordon it (no new work goes there; what runs stays),
 * uncordon it, and revoke it. Each is idempotent: repeating it changes nothing more. Each real change is
 * a host event; every call is audited.
 */
@Service
class HostActions {

    private final HostService hosts;
    private final HostStore store;
    private final HostLifecycleStore lifecycle;
    private final AuditTrail audit;
    private final IdGenerator ids;
    private final Clock clock;

    HostActions(HostService hosts, HostStore store, HostLifecycleStore lifecycle, AuditTrail audit, IdGenerator ids, Clock clock) {
        this.hosts = hosts;
        this.store = store;
        this.lifecycle = lifecycle;
        this.audit = audit;
        this.ids = ids;
        this.clock = clock;
    }

    /** Sets the cordon; a change bumps the host's version, since placement must see it at once. */
    @Transactional
    Host cordon(Caller caller, String id, boolean cordoned) {
        caller.require(Capability.WRITE_OPS);
        Host current = hosts.lock(id);
        String action = cordoned ? "cordon" : "uncordon";
        if (current.cordoned() != cordoned) {
            Instant now = clock.instant();
            store.setCordoned(id, cordoned, now);
            lifecycle.appendEvent(ids.next(HostEvent.ID_PREFIX), id, action + "ed", null, null, action + "ed by " + caller.userId(), now);
        }
        audit.succeeded(caller, null, "host." + action, id, Map.of("changed", current.cordoned() != cordoned));
        return hosts.find(id);
    }

    /**
     * Revokes the host through the lifecycle table: its certificate is refused from now on and it can
     * never reconnect or join again. Revoking a revoked host changes nothing.
     */
    @Transactional
    Host revoke(Caller caller, String id, String reason) {
        caller.require(Capability.WRITE_OPS);
        Host current = hosts.lock(id);
        String why = "revoked by " + caller.userId() + (reason == null || reason.isBlank() ? "" : ": " + reason.strip());
        Optional<HostState> next = HostLifecycle.next(current.state(), HostLifecycle.Event.REVOKED);
        next.ifPresent(state -> {
            Instant now = clock.instant();
            lifecycle.setState(id, state, now);
            lifecycle.appendEvent(ids.next(HostEvent.ID_PREFIX), id, "revoked", current.state(), state, why, now);
        });
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("from", current.state().name());
        details.put("changed", next.isPresent());
        if (reason != null && !reason.isBlank()) {
            details.put("reason", reason.strip());
        }
        audit.succeeded(caller, null, "host.revoke", id, details);
        return hosts.find(id);
    }
}
